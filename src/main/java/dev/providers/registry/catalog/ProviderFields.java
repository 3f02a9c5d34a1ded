package dev.providers.registry.catalog;

import dev.providers.registry.http.BodyReader;
import java.net.URI;
import java.util.List;

/**
 * The display fields of a provider and their limits, read the same way by publish metadata and PATCH; the limits
 * are also those of the OpenAPI models ({@link ProviderPatch}, the publish body's metadata).
 */
public final class ProviderFields {

    public static final int DISPLAY_NAME_MAX = 100;
    public static final int DESCRIPTION_MAX = 500;
    public static final int ICON_URL_MAX = 500;
    public static final int TAGS_MAX = 20;
    public static final int TAG_MAX = 50;

    private ProviderFields() {}

    /** The display fields of {@code fields} (the PATCH body, or the {@code metadata} of a publish). */
    public static Display read(BodyReader fields) {
        String displayName = fields.optionalText("display_name", 0, DISPLAY_NAME_MAX);
        String description = fields.optionalText("description", 0, DESCRIPTION_MAX);
        String iconUrl = fields.optionalText("icon_url", 1, ICON_URL_MAX);
        if (iconUrl != null && !isHttpsUrl(iconUrl)) {
            fields.error("icon_url", "must be an https URL or null");
        }
        List<String> tags = fields.optionalTexts("tags", 0, TAGS_MAX, TAG_MAX);
        return new Display(displayName, description, iconUrl, tags);
    }

    private static boolean isHttpsUrl(String value) {
        try {
            URI uri = new URI(value);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    public record Display(String displayName, String description, String iconUrl, List<String> tags) {}
}
