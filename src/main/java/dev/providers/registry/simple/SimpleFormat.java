package dev.providers.registry.simple;

import java.util.Locale;

/**
 * The representations of a simple index page (PEP 691 content negotiation) and the choice among them for an
 * {@code Accept} header: the highest quality wins; among equals a type named exactly wins, in the order of
 * {@link #values()} (JSON first, as PyPI does), and a wildcard prefers plain {@code text/html}. No {@code Accept} is
 * {@code text/html}. The {@code latest} aliases stand for v1.
 */
public enum SimpleFormat {
    JSON("application/vnd.pypi.simple.v1+json", "application/vnd.pypi.simple.latest+json"),
    HTML_V1("application/vnd.pypi.simple.v1+html", "application/vnd.pypi.simple.latest+html"),
    TEXT_HTML("text/html", null);

    /** What a 406 lists. */
    public static final String OFFERED =
            "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html, text/html";

    private final String mediaType;
    private final String alias;

    SimpleFormat(String mediaType, String alias) {
        this.mediaType = mediaType;
        this.alias = alias;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The {@code Content-Type} of the answer. */
    public String contentType() {
        return this == JSON ? mediaType : mediaType + "; charset=utf-8";
    }

    public boolean isJson() {
        return this == JSON;
    }

    /** The format to answer with, or {@code null} when the header accepts none of them (406). */
    public static SimpleFormat negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return TEXT_HTML;
        }
        String[] ranges = accept.split(",");
        SimpleFormat best = null;
        double bestQ = 0;
        int bestRank = -1;
        for (SimpleFormat format : values()) {
            double q = 0;
            int specificity = -1;
            for (String range : ranges) {
                String[] parts = range.split(";");
                if (parts.length == 0) {
                    continue;
                }
                int s = format.specificity(parts[0].strip().toLowerCase(Locale.ROOT));
                if (s > specificity) {
                    specificity = s;
                    q = quality(parts);
                }
            }
            if (specificity < 0 || q <= 0) {
                continue;
            }
            // Ties: asked for by name, JSON first (PyPI's order); only through a wildcard, plain HTML first.
            int rank = specificity == 2 ? 10 - format.ordinal() : format.ordinal();
            if (q > bestQ || (q == bestQ && rank > bestRank)) {
                best = format;
                bestQ = q;
                bestRank = rank;
            }
        }
        return best;
    }

    /** 2 exact, 1 {@code type/*}, 0 {@code *}{@code /*}, -1 no match. */
    private int specificity(String range) {
        if (range.equals(mediaType) || range.equals(alias)) {
            return 2;
        }
        if (range.equals("*/*")) {
            return 0;
        }
        if (range.endsWith("/*")) {
            return mediaType.startsWith(range.substring(0, range.length() - 1)) ? 1 : -1;
        }
        return -1;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                try {
                    double q = Double.parseDouble(param.substring(2).strip());
                    return q >= 0 && q <= 1 ? q : 0;
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
