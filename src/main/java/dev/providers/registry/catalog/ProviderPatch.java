package dev.providers.registry.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** {@code PATCH /providers/{org}/{name}}: only non-null fields change. */
@RegisterForReflection
@Schema(name = "ProviderUpdate")
public record ProviderPatch(
        @Schema(nullable = true, maxLength = 100) @JsonProperty("display_name") String displayName,
        @Schema(nullable = true, maxLength = 500) @JsonProperty("description") String description,
        @Schema(nullable = true, maxLength = 500) @JsonProperty("icon_url") String iconUrl,
        @Schema(nullable = true, maxLength = 50000) @JsonProperty("readme") String readme,
        @Schema(nullable = true, maxItems = 20) @JsonProperty("tags") List<String> tags,
        @Schema(nullable = true, enumeration = {"public", "tenant"}) @JsonProperty("scope") String scope) {
}
