package dev.providers.registry.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.providers.registry.persistence.JsonText;
import dev.providers.registry.persistence.ProviderVersionEntity;
import dev.providers.registry.persistence.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** Entity -> API model. A building row whose lease lapsed reads as failed, before the sweeper runs. */
@ApplicationScoped
public class ProviderVersionMapper {

    public static final String INTERRUPTED = "publish interrupted: the attempt's lease lapsed before it finished";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final JsonText json;

    public ProviderVersionMapper(JsonText json) {
        this.json = json;
    }

    public ProviderVersion toApi(ProviderVersionEntity v) {
        Instant now = Timestamps.now();
        boolean lapsed = v.leaseLapsed(now);
        return new ProviderVersion(
                v.prefix,
                v.name,
                v.version,
                v.runtimeVersion,
                v.prefix + "/" + v.name,
                v.createdAt,
                v.updatedAt,
                v.wheelUrl,
                v.wheelSha256,
                v.packageName,
                json.read(v.entrypoint, STRINGS),
                null,
                null,
                json.tree(v.schemas),
                json.tree(v.configSchema),
                json.tree(v.outputsSchema),
                v.changelog,
                v.statusAt(now),
                v.publishedAt,
                lapsed ? INTERRUPTED : v.errorMessage,
                v.yankedAt,
                v.yankedReason);
    }
}
