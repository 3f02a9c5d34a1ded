import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop publish load for bench/run (item 3): CONCURRENCY workers each POST /provider-versions one after the
 * other until COUNT publishes were sent or MAX_SECONDS passed. Publish i (1..COUNT) is version 1.0.i of provider
 * {PREFIX}-p{i mod 64} with the wheel WHEEL_BASE/bench_pkg-1.0.i-py3-none-any.whl: unique versions, spread over
 * 64 providers. Prints one line: "ok=.. failed=.. seconds=.. rate=.. p50_ms=.. p99_ms=.. max_ms=.. statuses={..}".
 *
 * <p>Each worker speaks HTTP/1.1 over one keep-alive socket of its own: the load tool shares the machine's cores
 * with the service, and the JDK's HttpClient cost about 1.6 ms of CPU per publish (half of the service's own).
 *
 * <p>Usage: java PublishLoad.java SERVICE TOKEN PREFIX WHEEL_BASE CONCURRENCY COUNT MAX_SECONDS
 */
public class PublishLoad {

    public static void main(String[] a) throws Exception {
        URI service = URI.create(a[0]);
        String token = a[1], prefix = a[2], wheelBase = a[3];
        int concurrency = Integer.parseInt(a[4]), count = Integer.parseInt(a[5]);
        long deadline = System.nanoTime() + Long.parseLong(a[6]) * 1_000_000_000L;
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[count];
        AtomicInteger done = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        String[] firstError = new String[1];
        Thread[] workers = new Thread[concurrency];
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers[w] = new Thread(() -> {
                Connection connection = null;
                int i;
                while ((i = next.incrementAndGet()) <= count && System.nanoTime() < deadline) {
                    String body = "{\"name\":\"bench/" + prefix + "-p" + (i % 64) + "\",\"version\":\"1.0." + i
                            + "\",\"wheel_url\":\"" + wheelBase + "/bench_pkg-1.0." + i + "-py3-none-any.whl\"}";
                    long t0 = System.nanoTime();
                    int status;
                    String answer;
                    try {
                        if (connection == null) {
                            connection = new Connection(service);
                        }
                        Response response = connection.post("/provider-versions", token, body);
                        status = response.status();
                        answer = response.body();
                        if (response.close()) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException e) {
                        status = -1;
                        answer = e.toString();
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                    }
                    long t = System.nanoTime() - t0;
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (status == 201) {
                        latencies[done.getAndIncrement()] = t;
                    } else {
                        failed.incrementAndGet();
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = status + " " + answer;
                            }
                        }
                    }
                }
                if (connection != null) {
                    connection.close();
                }
            });
            workers[w].start();
        }
        for (Thread t : workers) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int ok = done.get();
        long[] sorted = Arrays.copyOf(latencies, ok);
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "ok=%d failed=%d seconds=%.3f rate=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f statuses=%s%n",
                ok,
                failed.get(),
                seconds,
                ok / seconds,
                pct(sorted, 50),
                pct(sorted, 99),
                ok == 0 ? 0 : sorted[ok - 1] / 1e6,
                new TreeMap<>(statuses));
        if (firstError[0] != null) {
            System.err.println("first failure: " + firstError[0].substring(0, Math.min(400, firstError[0].length())));
        }
        System.exit(failed.get() == 0 && ok > 0 ? 0 : 1);
    }

    /** Nearest-rank percentile, in milliseconds. */
    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    record Response(int status, String body, boolean close) {}

    /** One keep-alive HTTP/1.1 connection: requests with a Content-Length, answers with a Content-Length or chunked. */
    static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final String host;

        Connection(URI service) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            socket.connect(new InetSocketAddress(service.getHost(), service.getPort()), 5_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
            host = service.getHost() + ":" + service.getPort();
        }

        Response post(String path, String token, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            out.write(request);
            out.flush();

            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" ->
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> {}
                }
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16);
                        size > 0;
                        size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    copy(size, answer);
                    line();
                }
                while (!line().isEmpty()) { // trailers
                }
            } else if (length >= 0) {
                copy(length, answer);
            } else {
                close = true;
            }
            return new Response(status, answer.toString(StandardCharsets.UTF_8), close);
        }

        private void copy(long n, ByteArrayOutputStream to) throws IOException {
            byte[] buffer = new byte[8192];
            while (n > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
                if (read < 0) {
                    throw new IOException("connection closed inside a response body");
                }
                to.write(buffer, 0, read);
                n -= read;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed inside a response head");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
