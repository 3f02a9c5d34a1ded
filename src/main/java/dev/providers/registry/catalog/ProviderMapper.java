package dev.providers.registry.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.providers.registry.auth.NamespacePolicy;
import dev.providers.registry.persistence.JsonText;
import dev.providers.registry.persistence.ProviderEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class ProviderMapper {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final JsonText json;
    private final NamespacePolicy policy;

    public ProviderMapper(JsonText json, NamespacePolicy policy) {
        this.json = json;
        this.policy = policy;
    }

    public Provider toApi(ProviderEntity p) {
        boolean platform = policy.isReserved(p.prefix);
        List<String> tags = json.read(p.tags, STRINGS);
        return new Provider(
                p.prefix,
                p.name,
                p.canonical(),
                p.displayName,
                p.description,
                new Provider.Author(p.ownerOrgId, p.ownerName, platform ? "platform" : "customer"),
                p.scope,
                p.iconUrl,
                p.readme,
                tags == null ? List.of() : tags,
                p.latestVersion,
                0,
                p.createdAt,
                p.updatedAt);
    }
}
