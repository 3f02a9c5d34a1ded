import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
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
 * Run with the JDK's source launcher: java PublishLoad.java SERVICE TOKEN PREFIX WHEEL_BASE CONCURRENCY COUNT MAX_SECONDS
 */
public class PublishLoad {
    public static void main(String[] a) throws Exception {
        String service = a[0], token = a[1], prefix = a[2], wheelBase = a[3];
        int concurrency = Integer.parseInt(a[4]), count = Integer.parseInt(a[5]);
        long deadline = System.nanoTime() + Long.parseLong(a[6]) * 1_000_000_000L;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(service + "/provider-versions");
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[count];
        AtomicInteger done = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        String firstError[] = new String[1];
        Thread[] workers = new Thread[concurrency];
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            workers[w] = new Thread(() -> {
                int i;
                while ((i = next.incrementAndGet()) <= count && System.nanoTime() < deadline) {
                    String body = "{\"name\":\"bench/" + prefix + "-p" + (i % 64) + "\",\"version\":\"1.0." + i
                            + "\",\"wheel_url\":\"" + wheelBase + "/bench_pkg-1.0." + i + "-py3-none-any.whl\"}";
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    int status;
                    String answer;
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        status = response.statusCode();
                        answer = response.body();
                    } catch (Exception e) {
                        status = -1;
                        answer = e.toString();
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
        System.out.printf(java.util.Locale.ROOT, "ok=%d failed=%d seconds=%.3f rate=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f statuses=%s%n",
                ok, failed.get(), seconds, ok / seconds, pct(sorted, 50), pct(sorted, 99),
                ok == 0 ? 0 : sorted[ok - 1] / 1e6, new TreeMap<>(statuses));
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
}
