package dev.providers.registry.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.providers.registry.persistence.VersionStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A provider version as the API answers it. */
@RegisterForReflection
@Schema(name = "ProviderVersion", description = "A version of a provider and its publish status.")
@JsonPropertyOrder(alphabetic = false)
public record ProviderVersion(
        @JsonProperty("prefix") String prefix,
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("runtime_version") String runtimeVersion,
        @JsonProperty("canonical") String canonical,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("wheel_url") String wheelUrl,
        @JsonProperty("wheel_sha256") String wheelSha256,
        @JsonProperty("package_name") String packageName,
        @JsonProperty("entrypoint") List<String> entrypoint,
        @JsonProperty("source_hash") String sourceHash,
        @JsonProperty("build_id") String buildId,

        @Schema(description = "Resource schemas sorted by resource type", implementation = Object[].class)
        @JsonProperty("schemas")
        JsonNode schemas,

        @Schema(implementation = Object.class) @JsonProperty("config_schema")
        JsonNode configSchema,

        @Schema(implementation = Object.class) @JsonProperty("outputs_schema")
        JsonNode outputsSchema,

        @JsonProperty("changelog") String changelog,

        @Schema(
                enumeration = {"building", "published", "failed", "yanked"},
                implementation = String.class)
        @JsonProperty("status")
        VersionStatus status,

        @JsonProperty("published_at") Instant publishedAt,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("yanked_at") Instant yankedAt,
        @JsonProperty("yanked_reason") String yankedReason) {}
