package dev.providers.registry.storage;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that parts of uploads are held in: fixed-size heap blocks, reused from one part to the next.
 *
 * <p>Why not the received buffers themselves, or fresh copies: a part is held while it fills and while it is stored
 * (an 8 MiB S3 part for a few hundred milliseconds), so the young collections that run meanwhile find 16-24 MiB of it
 * alive and, their survivor space full, promote it to the old generation, where it dies. Measured on a 1 GiB upload
 * to the S3 store (bench/README.md "Hosted wheels"): the old generation grew by 4-8 MiB per young collection and G1
 * grew the heap, and the process's RSS, by 90 MiB during an upload. Blocks that live as long as the service are
 * promoted once; the received buffers are copied (once) and die young.
 *
 * <p>Idle blocks are kept up to an eighth of the maximum heap (4-64 MiB); beyond that a returned block is left to
 * the collector. Thread-safe.
 */
final class PartBlocks {

    /** Bytes per block: small enough for any G1 region size (never a humongous object), big enough to be few. */
    static final int BLOCK = 64 * 1024;

    /** The blocks of every upload of this process. */
    static final PartBlocks SHARED =
            new PartBlocks(idleLimit(Runtime.getRuntime().maxMemory()));

    private final int maxIdle;
    private final ConcurrentLinkedQueue<byte[]> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicLong inUse = new AtomicLong();

    PartBlocks(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    static int idleLimit(long maxHeap) {
        long bytes = Math.max(4L << 20, Math.min(64L << 20, maxHeap / 8));
        return (int) (bytes / BLOCK);
    }

    byte[] take() {
        byte[] block = idle.poll();
        if (block != null) {
            idleCount.decrementAndGet();
        } else {
            block = new byte[BLOCK];
        }
        inUse.incrementAndGet();
        return block;
    }

    void give(byte[] block) {
        inUse.decrementAndGet();
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(block);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /** Blocks taken and not given back. */
    long inUse() {
        return inUse.get();
    }

    /** Blocks kept for reuse. */
    int idle() {
        return idleCount.get();
    }
}
