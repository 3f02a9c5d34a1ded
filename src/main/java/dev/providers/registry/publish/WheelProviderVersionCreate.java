package dev.providers.registry.publish;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.providers.registry.catalog.ProviderFields;
import dev.providers.registry.identity.WheelUrl;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The documented shape of a publish body (OpenAPI only) and its limits. Bodies are read by
 * {@link PublishRequestParser}, which is stricter than data binding: no coercion, every bad field reported.
 */
@RegisterForReflection
@Schema(name = "WheelProviderVersionCreate", description = "Request body for the wheel-based provider publish route.")
public record WheelProviderVersionCreate(
        @Schema(
                required = true,
                minLength = 1,
                maxLength = NAME_MAX,
                description = "\"prefix/name\", or a legacy short name")
        @JsonProperty("name")
        String name,

        @Schema(required = true, description = "SemVer 2.0.0 with a PEP 440 form") @JsonProperty("version")
        String version,

        @Schema(required = true, maxLength = WheelUrl.MAX_LENGTH) @JsonProperty("wheel_url")
        String wheelUrl,

        @Schema(nullable = true, minLength = 1) @JsonProperty("organization_id")
        String organizationId,

        @Schema(nullable = true, pattern = "^[0-9a-f]{64}$") @JsonProperty("sha256")
        String sha256,

        @Schema(nullable = true, minLength = 1, maxLength = PACKAGE_NAME_MAX) @JsonProperty("package_name")
        String packageName,

        @Schema(nullable = true) @JsonProperty("schemas") Map<String, Object> schemas,
        @Schema(nullable = true) @JsonProperty("metadata") ProviderVersionMetadata metadata,

        @Schema(nullable = true) @JsonProperty("config_schema")
        Map<String, Object> configSchema,

        @Schema(nullable = true) @JsonProperty("outputs_schema")
        Map<String, Object> outputsSchema,

        @Schema(nullable = true) @JsonProperty("resource_schemas")
        Map<String, Object> resourceSchemas,

        @Schema(nullable = true, maxLength = CHANGELOG_MAX) @JsonProperty("changelog")
        String changelog,

        @Schema(nullable = true, minItems = 1, maxItems = ENTRYPOINT_ITEMS_MAX) @JsonProperty("entrypoint")
        List<String> entrypoint) {

    public static final int NAME_MAX = 200;
    public static final int ORGANIZATION_ID_MAX = 200;
    public static final int PACKAGE_NAME_MAX = 200;
    public static final int CHANGELOG_MAX = 20_000;
    public static final int ENTRYPOINT_ITEMS_MAX = 32;
    public static final int ENTRYPOINT_ITEM_MAX = 1_000;
    /** {@code provider} and {@code resource} of a schema entry. */
    public static final int SCHEMA_NAME_MAX = 200;

    public static final int SCHEMA_DESCRIPTION_MAX = 20_000;

    @RegisterForReflection
    @Schema(
            name = "ProviderVersionMetadata",
            description = "Catalog display fields supplied when registering a provider version.")
    public record ProviderVersionMetadata(
            @Schema(nullable = true, maxLength = ProviderFields.DISPLAY_NAME_MAX) @JsonProperty("display_name")
            String displayName,

            @Schema(nullable = true, maxLength = ProviderFields.DESCRIPTION_MAX) @JsonProperty("description")
            String description,

            @Schema(nullable = true, maxLength = ProviderFields.ICON_URL_MAX) @JsonProperty("icon_url")
            String iconUrl,

            @Schema(nullable = true, maxItems = ProviderFields.TAGS_MAX) @JsonProperty("tags")
            List<String> tags) {}
}
