package dev.providers.registry.reliability;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on 127.0.0.1 in front of a PostgreSQL server, with three modes:
 * <ul>
 * <li>{@link Mode#FORWARD}: pipes bytes both ways;</li>
 * <li>{@link Mode#REFUSE}: the listener is closed (a connect is refused) and every open connection is closed, as
 * when the server is down;</li>
 * <li>{@link Mode#BLACK_HOLE}: connections are accepted and never answered, and open connections stop forwarding
 * (a network partition: nothing is lost, nothing arrives). Back to {@code FORWARD}, the held bytes flow again and
 * connections accepted meanwhile are closed.</li>
 * </ul>
 */
public final class DatabaseProxy implements AutoCloseable {

    public enum Mode {
        FORWARD,
        REFUSE,
        BLACK_HOLE
    }

    private final Vertx vertx = Vertx.vertx();
    private final NetClient client;
    private final int port;
    private final int targetPort;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final Set<NetSocket> held = ConcurrentHashMap.newKeySet();
    private volatile NetServer server;
    private volatile Mode mode = Mode.FORWARD;

    public DatabaseProxy(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2000));
        listen();
    }

    public int port() {
        return port;
    }

    public Mode mode() {
        return mode;
    }

    public synchronized void mode(Mode next) {
        if (next == mode) {
            return;
        }
        Mode previous = mode;
        mode = next;
        switch (next) {
            case FORWARD -> {
                held.forEach(NetSocket::close);
                held.clear();
                pairs.forEach(Pair::resume);
                if (previous == Mode.REFUSE) {
                    listen();
                }
            }
            case BLACK_HOLE -> {
                pairs.forEach(Pair::pause);
                if (previous == Mode.REFUSE) {
                    listen();
                }
            }
            case REFUSE -> {
                await(server.close());
                server = null;
                held.forEach(NetSocket::close);
                held.clear();
                pairs.forEach(Pair::close);
            }
        }
    }

    private void listen() {
        NetServer s = vertx.createNetServer(
                new NetServerOptions().setHost("127.0.0.1").setPort(port).setReuseAddress(true));
        s.connectHandler(this::accept);
        await(s.listen());
        server = s;
    }

    private void accept(NetSocket inbound) {
        if (mode != Mode.FORWARD) {
            inbound.pause();
            held.add(inbound);
            inbound.closeHandler(v -> held.remove(inbound));
            return;
        }
        inbound.pause();
        client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                inbound.close();
                return;
            }
            Pair pair = new Pair(inbound, ar.result());
            pairs.add(pair);
            if (mode == Mode.FORWARD) {
                pair.resume();
            } else if (mode == Mode.REFUSE) {
                pair.close();
            }
        });
    }

    @Override
    public void close() {
        pairs.forEach(Pair::close);
        await(vertx.close());
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final class Pair {
        private final NetSocket inbound;
        private final NetSocket outbound;

        Pair(NetSocket inbound, NetSocket outbound) {
            this.inbound = inbound;
            this.outbound = outbound;
            inbound.handler(outbound::write);
            outbound.handler(inbound::write);
            inbound.closeHandler(v -> close());
            outbound.closeHandler(v -> close());
            inbound.exceptionHandler(t -> close());
            outbound.exceptionHandler(t -> close());
        }

        void pause() {
            inbound.pause();
            outbound.pause();
        }

        void resume() {
            inbound.resume();
            outbound.resume();
        }

        void close() {
            pairs.remove(this);
            inbound.close();
            outbound.close();
        }
    }
}
