package dev.providers.registry.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.providers.registry.persistence.AuditEventEntity;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@RegisterForReflection
@Schema(name = "AuditEvent")
public record AuditEvent(
        @JsonProperty("id") long id,
        @JsonProperty("canonical") String canonical,
        @JsonProperty("version") String version,
        @JsonProperty("action") String action,
        @JsonProperty("actor_sub") String actorSub,
        @JsonProperty("actor_org_id") String actorOrgId,
        @JsonProperty("at") Instant at,
        @JsonProperty("status_before") String statusBefore,
        @JsonProperty("status_after") String statusAfter,
        @JsonProperty("detail") String detail) {

    static AuditEvent of(AuditEventEntity e) {
        return new AuditEvent(
                e.id,
                e.canonical,
                e.version,
                e.action,
                e.actorSub,
                e.actorOrgId,
                e.at,
                e.statusBefore,
                e.statusAfter,
                e.detail);
    }

    /** A page of events, newest first; {@code next_before} is the cursor of the next page (null at the end). */
    @RegisterForReflection
    @Schema(name = "AuditEventPage")
    public record Page(
            @JsonProperty("items") List<AuditEvent> items,
            @JsonProperty("next_before") Long nextBefore) {}
}
