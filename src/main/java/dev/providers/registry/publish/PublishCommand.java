package dev.providers.registry.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.providers.registry.identity.SemVer;
import dev.providers.registry.identity.WheelUrl;
import dev.providers.registry.wheel.WheelFileName;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A validated publish request. Optional fields are null when the request did not give them; {@code schemas} is
 * already in its response form (a list sorted by resource type). An upload has no {@code wheelUrl}: its
 * {@code fileName} is the uploaded file's.
 */
public record PublishCommand(
        String prefix,
        String name,
        SemVer version,
        WheelUrl wheelUrl,
        WheelFileName fileName,
        String sha256,
        String packageName,
        JsonNode schemas,
        JsonNode configSchema,
        JsonNode outputsSchema,
        CatalogMetadata metadata,
        String changelog,
        List<String> entrypoint) {

    public String canonical() {
        return prefix + "/" + name;
    }

    /** An upload: the registry hosts the wheel ({@code wheelUrl} is null, {@code fileName} the uploaded file's). */
    public boolean hosted() {
        return wheelUrl == null;
    }

    /** Catalog display fields; null fields leave the stored ones as they are. Stored as JSON with the version. */
    @RegisterForReflection
    public record CatalogMetadata(String displayName, String description, String iconUrl, List<String> tags) {}
}
