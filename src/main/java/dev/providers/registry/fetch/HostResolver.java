package dev.providers.registry.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution for the fetch guard. Blocking: always called on a worker thread. Tests replace it. */
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
