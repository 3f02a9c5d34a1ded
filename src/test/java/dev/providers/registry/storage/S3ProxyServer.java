package dev.providers.registry.storage;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A real S3 server for the tests: S3Proxy 2.6.0 (its runnable jar, copied to {@code target/s3proxy} by the build),
 * as a process of its own on a free loopback port, with the filesystem backend in a temporary directory and
 * signature v4 authentication with a static key. The tests can stop it and start it again (same port, same data)
 * to fail the store mid-write. Configures the service with {@code registry.storage.kind=s3} against it and
 * {@code part-size} 5M (S3's smallest). Used with {@code scope = RESTRICTED_TO_CLASS}.
 */
public class S3ProxyServer implements QuarkusTestResourceLifecycleManager {

    static final String BUCKET = "test-wheels";
    static final String ACCESS_KEY = "registry-test";
    static final String SECRET_KEY = "registry-test-secret";

    private static volatile S3ProxyServer current;

    private final Map<String, String> extra = new HashMap<>();
    private Path dataDir;
    private Path config;
    private int port;
    private volatile Process process;

    public static S3ProxyServer current() {
        if (current == null) {
            throw new IllegalStateException("S3ProxyServer is not started");
        }
        return current;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("s3proxy-data");
            port = freePort();
            config = Files.createTempFile("s3proxy", ".conf");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=http://127.0.0.1:" + port,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem",
                            "jclouds.filesystem.basedir=" + dataDir,
                            ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startServer();
        try (S3AsyncClient client = client()) {
            client.createBucket(r -> r.bucket(BUCKET)).join();
        }
        current = this;
        Map<String, String> out = new HashMap<>();
        out.put("registry.storage.kind", "s3");
        out.put("registry.storage.s3.endpoint", endpoint());
        out.put("registry.storage.s3.bucket", BUCKET);
        out.put("registry.storage.s3.region", "us-east-1");
        out.put("registry.storage.s3.path-style", "true");
        out.put("registry.storage.s3.access-key-id", ACCESS_KEY);
        out.put("registry.storage.s3.secret-access-key", SECRET_KEY);
        out.put("registry.storage.s3.part-size", "5M");
        out.putAll(extra);
        return out;
    }

    @Override
    public void stop() {
        current = null;
        stopServer();
        deleteTree(dataDir);
        try {
            Files.deleteIfExists(config);
        } catch (IOException e) {
            // a temp file
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The files the filesystem backend holds in the bucket (objects, and multipart parts while uploads run). */
    public List<Path> files() {
        try (Stream<Path> walk = Files.walk(dataDir.resolve(BUCKET))) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the server (as a crash: no graceful end of open connections). */
    public synchronized void stopServer() {
        Process p = process;
        process = null;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server on the same port with the same data, and waits until it answers. */
    public synchronized void startServer() {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it (maven-dependency-plugin, "
                    + "execution s3proxy, phase process-test-resources)");
        }
        Path log = jar.resolveSibling("s3proxy-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + started.exitValue() + ": see " + log);
            }
            if (answers()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("S3Proxy did not answer on " + endpoint() + " within 90 s: see " + log);
    }

    /** The server is running and answers HTTP. */
    public boolean answersNow() {
        return process != null && process.isAlive() && answers();
    }

    private boolean answers() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            c.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    S3AsyncClient client() {
        return S3AsyncClient.builder()
                .httpClient(NettyNioAsyncHttpClient.builder().build())
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
