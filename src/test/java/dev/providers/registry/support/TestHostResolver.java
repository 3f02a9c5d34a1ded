package dev.providers.registry.support;

import dev.providers.registry.fetch.HostResolver;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * The tests' resolver seam: dotted test host names (Java sends SNI only for dotted names) mapped to loopback
 * addresses, IP literals as themselves, anything else unknown. No test ever asks real DNS.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestHostResolver implements HostResolver {

    public static final String WHEELS = "wheels.registry.test";
    public static final String MIRROR = "mirror.registry.test";
    /** Resolves to 127.0.0.3, which is outside the test allow-list. */
    public static final String BLOCKED = "blocked.registry.test";
    /** Resolves to an allowed and a refused address: any refused address refuses the host. */
    public static final String DUAL = "dual.registry.test";

    private static final Map<String, List<String>> HOSTS = Map.of(
            WHEELS, List.of("127.0.0.1"),
            MIRROR, List.of("127.0.0.1"),
            BLOCKED, List.of("127.0.0.3"),
            DUAL, List.of("127.0.0.1", "127.0.0.3"));

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<String> mapped = HOSTS.get(host);
        if (mapped != null) {
            List<InetAddress> addresses = new java.util.ArrayList<>();
            for (String literal : mapped) {
                addresses.add(InetAddress.getByName(literal));
            }
            return addresses;
        }
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return List.of(InetAddress.getByName(host));
        }
        throw new UnknownHostException(host);
    }
}
