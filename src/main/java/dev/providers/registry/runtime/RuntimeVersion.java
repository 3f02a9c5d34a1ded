package dev.providers.registry.runtime;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.providers.registry.persistence.RuntimeVersionEntity;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@RegisterForReflection
@Schema(name = "RuntimeVersion", description = "A registered version of the runtime image that provider versions pin.")
public record RuntimeVersion(
        @JsonProperty("version") String version,
        @JsonProperty("image_url") String imageUrl,
        @JsonProperty("changelog") String changelog,
        @JsonProperty("released_at") Instant releasedAt,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    static RuntimeVersion of(RuntimeVersionEntity e) {
        return new RuntimeVersion(e.version, e.imageUrl, e.changelog, e.releasedAt, e.createdAt, e.updatedAt);
    }
}
