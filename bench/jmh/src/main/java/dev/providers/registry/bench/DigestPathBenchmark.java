package dev.providers.registry.bench;

import dev.providers.registry.wheel.WheelStreamVerifier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The digest path of a publish, over one 32 MiB wheel body: the streaming verifier fed network-sized chunks
 * (direct, pooled Netty buffers wrapped as Vert.x buffers, as the HTTP client hands them over) against one
 * {@code MessageDigest} over the same bytes as one contiguous array (the floor). {@code digestOnly} is the
 * verifier's hashing alone (no tail-window copy), to tell the two costs apart; {@code verifierNoLength} the verifier
 * when the server sends no Content-Length. Each invocation processes all
 * 32 MiB; compare the average times (ratio = contiguous / streaming).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DigestPathBenchmark {

    static final int TOTAL = 32 * 1024 * 1024;

    @Param({"4096", "16384", "65536", "262144", "1048576"})
    public int chunk;

    private byte[] contiguous;
    private Buffer[] chunks;

    @Setup(Level.Trial)
    public void setUp() {
        contiguous = new byte[TOTAL];
        new Random(42).nextBytes(contiguous);
        chunks = new Buffer[TOTAL / chunk];
        for (int i = 0; i < chunks.length; i++) {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(chunk);
            buf.writeBytes(contiguous, i * chunk, chunk);
            chunks[i] = Buffer.buffer(buf);
        }
    }

    @TearDown(Level.Trial)
    @SuppressWarnings("deprecation")
    public void tearDown() {
        for (Buffer b : chunks) {
            b.getByteBuf().release();
        }
    }

    @Benchmark
    public byte[] contiguous() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(contiguous);
        return sha256.digest();
    }

    /**
     * WheelStreamVerifier.accept over every chunk as a publish runs it: the response declared its length
     * (Content-Length), so only the last 8 MiB + 64 KiB are copied into the tail window.
     */
    @Benchmark
    public long verifier() {
        WheelStreamVerifier verifier = new WheelStreamVerifier();
        verifier.expectLength(TOTAL);
        for (Buffer b : chunks) {
            verifier.accept(b);
        }
        return verifier.size();
    }

    /** The same without a declared length (a chunked response): every byte is also copied into the tail window. */
    @Benchmark
    public long verifierNoLength() {
        WheelStreamVerifier verifier = new WheelStreamVerifier();
        for (Buffer b : chunks) {
            verifier.accept(b);
        }
        return verifier.size();
    }

    /** What accept does for the digest alone: MessageDigest.update over each chunk's NIO views. */
    @Benchmark
    @SuppressWarnings("deprecation")
    public byte[] digestOnly() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (Buffer b : chunks) {
            for (ByteBuffer view : b.getByteBuf().nioBuffers()) {
                sha256.update(view.duplicate());
            }
        }
        return sha256.digest();
    }
}
