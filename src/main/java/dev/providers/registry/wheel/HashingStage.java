package dev.providers.registry.wheel;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Feeds one body's chunks to its sink on a pool thread, one chunk at a time and in arrival order, so that the event
 * loop decrypts the next chunks while the sink hashes this one. Fed from the body's Vert.x context; every callback
 * ({@code resume}, {@code failed}, the action of {@link #afterQueued}) runs back on that context.
 *
 * <p>At most one pool task per stage is queued or running, so the sink is never entered by two threads at once;
 * the lock hand-offs order its state between the threads that take turns.
 */
final class HashingStage implements Runnable {

    /** Above this many queued bytes {@link #offer} asks the caller to pause the source. */
    static final long MAX_BACKLOG_BYTES = 2L * 1024 * 1024;
    /**
     * The pool thread is woken only once this much waits (or the body ended): network chunks are ~8 KiB and the
     * hash is faster than the decryption, so waking it per chunk would cost a park/unpark per chunk.
     */
    static final long WAKE_BYTES = 64 * 1024;
    /** Bytes hashed per pool task before it yields its thread to the other bodies being hashed. */
    private static final long TURN_BYTES = 1024 * 1024;

    private final Executor pool;
    private final Context context;
    private final Consumer<Buffer> sink;
    private final Runnable resume;
    private final Consumer<Throwable> failed;

    // Guarded by this.
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean scheduled;
    private boolean cancelled;
    private boolean resumeWanted;
    private Runnable whenEmpty;

    /**
     * @param resume runs on the context when the backlog that made {@link #offer} return false fell to half
     * @param failed runs on the context when the sink threw; the queued chunks are dropped
     */
    HashingStage(Executor pool, Context context, Consumer<Buffer> sink, Runnable resume, Consumer<Throwable> failed) {
        this.pool = pool;
        this.context = context;
        this.sink = sink;
        this.resume = resume;
        this.failed = failed;
    }

    /**
     * Queues {@code chunk} (Vert.x hands each response chunk over as a buffer of its own, so it is not copied).
     *
     * @return false when the backlog is over {@link #MAX_BACKLOG_BYTES}: pause the source until {@code resume} runs
     */
    boolean offer(Buffer chunk) {
        boolean wake;
        boolean full;
        synchronized (this) {
            if (cancelled) {
                return true;
            }
            queue.add(chunk);
            queuedBytes += chunk.length();
            wake = !scheduled && queuedBytes >= WAKE_BYTES;
            scheduled |= wake;
            full = queuedBytes > MAX_BACKLOG_BYTES;
            resumeWanted |= full;
        }
        if (wake) {
            schedule();
        }
        return !full;
    }

    /** Runs {@code action} on the context once every chunk offered so far went through the sink without failure. */
    void afterQueued(Runnable action) {
        boolean now;
        boolean wake = false;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            now = queue.isEmpty() && !scheduled;
            if (!now) {
                whenEmpty = action;
                wake = !scheduled;
                scheduled = true;
            }
        }
        if (now) {
            action.run();
        } else if (wake) {
            schedule();
        }
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Drops the queued chunks; the chunk being hashed, if any, is the last one the sink sees. */
    synchronized void cancel() {
        cancelled = true;
        queue.clear();
        queuedBytes = 0;
        whenEmpty = null;
    }

    private void schedule() {
        try {
            pool.execute(this);
        } catch (RuntimeException rejected) { // the pool is shut down: the application is stopping
            synchronized (this) {
                cancelled = true;
                queue.clear();
            }
            context.runOnContext(v -> failed.accept(rejected));
        }
    }

    @Override
    public void run() {
        long turn = 0;
        while (true) {
            Buffer chunk;
            synchronized (this) {
                chunk = cancelled ? null : queue.poll();
                if (chunk == null) {
                    scheduled = false;
                    Runnable done = cancelled ? null : whenEmpty;
                    whenEmpty = null;
                    if (done != null) {
                        context.runOnContext(v -> done.run());
                    }
                    return;
                }
            }
            int length = chunk.length(); // read first: the sink may give the chunk back
            try {
                sink.accept(chunk);
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    cancel();
                    scheduled = false;
                }
                context.runOnContext(v -> failed.accept(e));
                return;
            }
            boolean resumeNow;
            synchronized (this) {
                queuedBytes -= length;
                resumeNow = resumeWanted && !cancelled && queuedBytes <= MAX_BACKLOG_BYTES / 2;
                resumeWanted &= !resumeNow;
            }
            if (resumeNow) {
                context.runOnContext(v -> resume.run());
            }
            turn += length;
            if (turn >= TURN_BYTES) {
                schedule(); // still scheduled: this stage's next turn, behind the other bodies. tasks
                return;
            }
        }
    }
}
