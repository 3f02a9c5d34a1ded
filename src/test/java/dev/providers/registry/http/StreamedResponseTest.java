package dev.providers.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.providers.registry.support.Settled;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamedResponse} on a real Vert.x server and a client on a plain socket: a client that stops reading stops
 * the body from being produced (a download holds a few store buffers, not the wheel), the body resumes when the
 * client reads again, and a client that goes away cancels it.
 */
class StreamedResponseTest {

    static final int PIECE = 1024 * 1024;
    static final int PIECES = 64;

    Vertx vertx;
    HttpServer server;
    final AtomicLong produced = new AtomicLong();
    final CountDownLatch cancelled = new CountDownLatch(1);

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    request.response().putHeader("Content-Length", Long.toString((long) PIECE * PIECES));
                    Multi<Buffer> body = Multi.createFrom()
                            .range(0, PIECES)
                            .map(i -> {
                                produced.addAndGet(PIECE);
                                byte[] piece = new byte[PIECE];
                                Arrays.fill(piece, (byte) (int) i);
                                return Buffer.buffer(piece);
                            })
                            .onCancellation()
                            .invoke(cancelled::countDown);
                    StreamedResponse.send(
                            request.response(),
                            body,
                            StreamedResponse.NO_COPY,
                            failure -> request.response().setStatusCode(500).end());
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    Socket get() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.actualPort()), 5000);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    @Test
    void aClientThatStopsReadingStopsTheBodyUntilItReadsAgain() throws Exception {
        try (Socket socket = get()) {
            InputStream in = socket.getInputStream();
            String head = head(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            byte[] first = in.readNBytes(PIECE);
            assertEquals(0, first[PIECE - 1]);

            long held = Settled.value(produced::get);
            // A few pieces (the socket buffers, the write queue, the hop onto the context), not the 64 MiB body.
            assertTrue(held <= 16L * PIECE, "a stalled client let " + held / PIECE + " pieces of " + PIECES + " out");

            long total = PIECE;
            byte[] chunk = new byte[256 * 1024];
            int n;
            while (total < (long) PIECE * PIECES && (n = in.read(chunk)) > 0) {
                assertEquals((byte) (total / PIECE), chunk[0], "piece order at " + total);
                total += n;
            }
            assertEquals((long) PIECE * PIECES, total);
        }
    }

    @Test
    void aClientThatGoesAwayCancelsTheBody() throws Exception {
        try (Socket socket = get()) {
            InputStream in = socket.getInputStream();
            head(in);
            in.readNBytes(PIECE / 2);
        }
        assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the body was not cancelled");
        assertTrue(produced.get() < (long) PIECE * PIECES, "the whole body was produced");
    }

    static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
