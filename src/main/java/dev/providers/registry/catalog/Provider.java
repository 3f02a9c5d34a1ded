package dev.providers.registry.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A catalog entry as the API answers it. */
@RegisterForReflection
@Schema(name = "Provider", description = "A provider in the catalog.")
public record Provider(
        @JsonProperty("prefix") String prefix,
        @JsonProperty("name") String name,
        @JsonProperty("canonical") String canonical,
        @JsonProperty("display_name") String displayName,
        @JsonProperty("description") String description,
        @JsonProperty("author") Author author,

        @Schema(enumeration = {"public", "tenant"}) @JsonProperty("scope")
        String scope,

        @JsonProperty("icon_url") String iconUrl,
        @JsonProperty("readme") String readme,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("latest_version") String latestVersion,
        @JsonProperty("install_count") long installCount,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    @RegisterForReflection
    @Schema(name = "ProviderAuthor")
    public record Author(
            @JsonProperty("organization_id") String organizationId,
            @JsonProperty("display_name") String displayName,

            @Schema(enumeration = {"platform", "customer"}) @JsonProperty("kind")
            String kind) {}

    @RegisterForReflection
    @Schema(name = "ProviderPage")
    public record Page(
            @JsonProperty("items") List<Provider> items,
            @JsonProperty("total") long total,
            @JsonProperty("limit") int limit,
            @JsonProperty("offset") long offset) {}
}
