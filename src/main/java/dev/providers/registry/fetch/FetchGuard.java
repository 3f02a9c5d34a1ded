package dev.providers.registry.fetch;

import dev.providers.registry.config.RegistryConfig;
import dev.providers.registry.identity.WheelUrl;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address guard: resolves a wheel URL's host once and admits it only when every address is public (or named by
 * {@code registry.fetch.allow}). The fetch then connects to exactly these addresses: no second lookup that DNS
 * rebinding could answer differently.
 */
@ApplicationScoped
public class FetchGuard {

    private final HostResolver resolver;
    private final AllowList allow;

    public FetchGuard(HostResolver resolver, RegistryConfig config) {
        this.resolver = resolver;
        this.allow = AllowList.parse(config.fetch().allow().orElse(List.of()));
    }

    /** Blocking (name resolution): call on a worker thread. */
    public List<InetAddress> admit(WheelUrl url) {
        String host = url.host();
        boolean hostAllowed = allow.allowsHost(host);
        if (!hostAllowed) {
            Optional<String> refused = AddressClassifier.refusedHostName(host);
            if (refused.isPresent()) {
                throw FetchProblems.notAllowed("wheel_url host '" + host + "' is not allowed: " + refused.get());
            }
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw FetchProblems.failed("could not resolve the wheel host '" + host + "'");
        }
        if (addresses.isEmpty()) {
            throw FetchProblems.failed("could not resolve the wheel host '" + host + "'");
        }
        if (!hostAllowed) {
            for (InetAddress address : addresses) {
                if (allow.allowsAddress(address)) {
                    continue;
                }
                Optional<String> refused = AddressClassifier.refusal(address);
                if (refused.isPresent()) {
                    throw FetchProblems.notAllowed(
                            "wheel_url host '" + host + "' resolves to a refused address (" + refused.get() + ")");
                }
            }
        }
        return addresses;
    }
}
