package dev.providers.registry.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.providers.registry.http.PublicUrls;
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
    private final PublicUrls urls;

    public ProviderVersionMapper(JsonText json, PublicUrls urls) {
        this.json = json;
        this.urls = urls;
    }

    /**
     * A version's {@code wheel_url}: the registered URL, or for a hosted (uploaded) version its absolute download
     * URL, {@code {public base}/files/{sha256}/{file name}} (null until it is published: it has no digest yet).
     */
    public String wheelUrl(ProviderVersionEntity v) {
        if (v.wheelUrl != null) {
            return v.wheelUrl;
        }
        if (v.wheelSha256 == null || v.wheelFilename == null) {
            return null;
        }
        return urls.base() + downloadPath(v.wheelSha256, v.wheelFilename);
    }

    /** The path of the download route (wheel file names need no escaping: PEP 427 names are URL-safe). */
    public static String downloadPath(String sha256, String fileName) {
        return "/files/" + sha256 + "/" + fileName;
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
                wheelUrl(v),
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
