package dev.providers.registry.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /console/runtime/versions}. */
@RegisterForReflection
@Schema(name = "RuntimeVersionCreate")
public record RuntimeVersionCreate(
        @Schema(required = true) @JsonProperty("version") String version,
        @Schema(required = true, maxLength = 1000) @JsonProperty("image_url") String imageUrl,
        @Schema(nullable = true, maxLength = 20000) @JsonProperty("changelog") String changelog) {
}
