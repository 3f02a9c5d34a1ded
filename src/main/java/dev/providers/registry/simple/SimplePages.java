package dev.providers.registry.simple;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders the pages of the simple repository API from the same data in both forms: PEP 503 HTML (with the PEP 592,
 * 658 and 714 attributes) and PEP 691 JSON. Every name, URL and reason is escaped: a yank reason is text, never
 * markup.
 */
public final class SimplePages {

    /** PEP 691's {@code meta.api-version} (and PEP 629's repository version in HTML). */
    public static final String API_VERSION = "1.0";

    private static final JsonFactory JSON = new JsonFactory();

    private SimplePages() {}

    /** An organization's index: one link per project, relative to {@code /simple/{org}/}. */
    public static byte[] index(SimpleFormat format, String org, List<String> projects) {
        if (format.isJson()) {
            return json(out -> {
                out.writeStartObject();
                meta(out);
                out.writeArrayFieldStart("projects");
                for (String project : projects) {
                    out.writeStartObject();
                    out.writeStringField("name", project);
                    out.writeEndObject();
                }
                out.writeEndArray();
                out.writeEndObject();
            });
        }
        StringBuilder html = head("Simple index of " + org);
        for (String project : projects) {
            html.append("<a href=\"")
                    .append(escape(project))
                    .append("/\">")
                    .append(escape(project))
                    .append("</a><br>\n");
        }
        return tail(html);
    }

    /** A project page: one link per file, with its digest, Requires-Python, yank and core metadata. */
    public static byte[] project(SimpleFormat format, String project, List<SimpleFile> files) {
        if (format.isJson()) {
            return json(out -> {
                out.writeStartObject();
                meta(out);
                out.writeStringField("name", project);
                out.writeArrayFieldStart("files");
                for (SimpleFile file : files) {
                    file(out, file);
                }
                out.writeEndArray();
                out.writeEndObject();
            });
        }
        StringBuilder html = head("Links for " + project);
        for (SimpleFile file : files) {
            html.append("<a href=\"")
                    .append(escape(file.url() + "#sha256=" + file.sha256()))
                    .append('"');
            if (file.requiresPython() != null) {
                html.append(" data-requires-python=\"")
                        .append(escape(file.requiresPython()))
                        .append('"');
            }
            if (file.yanked()) {
                html.append(" data-yanked=\"")
                        .append(file.yankedReason() == null ? "" : escape(file.yankedReason()))
                        .append('"');
            }
            if (file.coreMetadataSha256() != null) {
                String value = "sha256=" + escape(file.coreMetadataSha256());
                html.append(" data-core-metadata=\"")
                        .append(value)
                        .append("\" data-dist-info-metadata=\"")
                        .append(value)
                        .append('"');
            }
            html.append('>').append(escape(file.filename())).append("</a><br>\n");
        }
        return tail(html);
    }

    private static void file(JsonGenerator out, SimpleFile file) throws IOException {
        out.writeStartObject();
        out.writeStringField("filename", file.filename());
        out.writeStringField("url", file.url());
        out.writeObjectFieldStart("hashes");
        out.writeStringField("sha256", file.sha256());
        out.writeEndObject();
        if (file.requiresPython() != null) {
            out.writeStringField("requires-python", file.requiresPython());
        }
        for (String key : new String[] {"core-metadata", "dist-info-metadata"}) {
            if (file.coreMetadataSha256() == null) {
                out.writeBooleanField(key, false);
            } else {
                out.writeObjectFieldStart(key);
                out.writeStringField("sha256", file.coreMetadataSha256());
                out.writeEndObject();
            }
        }
        if (!file.yanked()) {
            out.writeBooleanField("yanked", false);
        } else if (file.yankedReason() == null || file.yankedReason().isEmpty()) {
            out.writeBooleanField("yanked", true);
        } else {
            out.writeStringField("yanked", file.yankedReason());
        }
        out.writeEndObject();
    }

    private static void meta(JsonGenerator out) throws IOException {
        out.writeObjectFieldStart("meta");
        out.writeStringField("api-version", API_VERSION);
        out.writeEndObject();
    }

    private static StringBuilder head(String title) {
        StringBuilder html = new StringBuilder(1024);
        html.append("<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"")
                .append(API_VERSION)
                .append("\">\n<title>")
                .append(escape(title))
                .append("</title>\n</head>\n<body>\n<h1>")
                .append(escape(title))
                .append("</h1>\n");
        return html;
    }

    private static byte[] tail(StringBuilder html) {
        return html.append("</body>\n</html>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Text and attribute values alike: {@code & < > " '}. */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    @FunctionalInterface
    private interface JsonBody {
        void write(JsonGenerator out) throws IOException;
    }

    private static byte[] json(JsonBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
