package dev.providers.registry.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code PATCH /providers/{org}/{name}}: only non-null fields change. Read by {@link ProviderResource}. */
@RegisterForReflection
@Schema(name = "ProviderUpdate")
public record ProviderPatch(
        @Schema(nullable = true, maxLength = ProviderFields.DISPLAY_NAME_MAX) @JsonProperty("display_name")
        String displayName,

        @Schema(nullable = true, maxLength = ProviderFields.DESCRIPTION_MAX) @JsonProperty("description")
        String description,

        @Schema(nullable = true, maxLength = ProviderFields.ICON_URL_MAX) @JsonProperty("icon_url")
        String iconUrl,

        @Schema(nullable = true, maxLength = README_MAX) @JsonProperty("readme")
        String readme,

        @Schema(nullable = true, maxItems = ProviderFields.TAGS_MAX) @JsonProperty("tags")
        List<String> tags,

        @Schema(
                nullable = true,
                enumeration = {"public", "tenant"})
        @JsonProperty("scope")
        String scope) {

    public static final int README_MAX = 50_000;
}
