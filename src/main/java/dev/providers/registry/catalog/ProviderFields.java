package dev.providers.registry.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.providers.registry.http.FieldReader;

import java.net.URI;
import java.util.List;

/** The display fields of a provider and their limits, read the same way by publish metadata and PATCH. */
public final class ProviderFields {

    private ProviderFields() {
    }

    /** {@code path} is the dotted prefix of the fields in error messages ({@code "metadata."} or {@code ""}). */
    public static Display read(FieldReader f, ObjectNode node, String path) {
        String displayName = f.string(node, "display_name", path + "display_name", false, 0, 100);
        String description = f.string(node, "description", path + "description", false, 0, 500);
        String iconUrl = f.string(node, "icon_url", path + "icon_url", false, 1, 500);
        if (iconUrl != null && !isHttpsUrl(iconUrl)) {
            f.error(path + "icon_url", "must be an https URL or null");
        }
        List<String> tags = f.strings(node, "tags", path + "tags", 0, 20, 50, true);
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

    public record Display(String displayName, String description, String iconUrl, List<String> tags) {
    }
}
