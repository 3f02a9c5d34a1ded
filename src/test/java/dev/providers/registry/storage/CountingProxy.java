package dev.providers.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server (S3Proxy), with blocking copies both ways, so that it holds nothing
 * beyond a 16 KiB buffer and its socket buffers: the bytes it has passed from the server to its clients are what
 * they pulled. It counts them and the connections, and can close the next connections right after accepting them
 * (as a server that went away).
 */
final class CountingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicLong toClients = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger closeNext = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    CountingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "counting-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Bytes passed from the server to the clients so far. */
    long toClients() {
        return toClients.get();
    }

    int accepted() {
        return accepted.get();
    }

    /** The next {@code count} connections are closed as soon as they are accepted. */
    void closeNext(int count) {
        closeNext.set(count);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                if (closeNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                pipe(client, server, null);
                pipe(server, client, toClients);
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, AtomicLong counter) {
        Thread copier = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            out.write(buffer, 0, n);
                            if (counter != null) {
                                counter.addAndGet(n);
                            }
                        }
                    } catch (IOException e) {
                        // the other side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "counting-proxy-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        open.forEach(this::closeQuietly);
    }
}
