package dev.providers.registry.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /console/runtime/versions}; read by {@link RuntimeVersionResource}. */
@RegisterForReflection
@Schema(name = "RuntimeVersionCreate")
public record RuntimeVersionCreate(
        @Schema(required = true) @JsonProperty("version") String version,

        @Schema(required = true, maxLength = IMAGE_URL_MAX) @JsonProperty("image_url")
        String imageUrl,

        @Schema(nullable = true, maxLength = CHANGELOG_MAX) @JsonProperty("changelog")
        String changelog) {

    public static final int IMAGE_URL_MAX = 1000;
    public static final int CHANGELOG_MAX = 20_000;
}
