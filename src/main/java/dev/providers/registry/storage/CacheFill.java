package dev.providers.registry.storage;

import dev.providers.registry.http.StreamedResponse;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One download's bytes written on the side to a temporary file of the cache ({@link AsyncFile}: the writes run off
 * the event loop), renamed to the digest's name once exactly {@code size} bytes arrived. Never holds the download
 * back (unlike {@code WriteStreamTee}, whose backpressure is the slower sink's): when the bytes of all fills waiting
 * for the disk would pass the cache's budget ({@link LocalFileCache#reserve}), or a write fails, the fill gives up and
 * deletes its file while the download goes on. All on the request's context.
 */
final class CacheFill implements StreamedResponse.BodyCopy {

    private static final Logger LOG = Logger.getLogger(CacheFill.class);

    private enum State {
        WRITING,
        ENDING,
        DONE
    }

    private final LocalFileCache cache;
    private final Vertx vertx;
    private final Path directory;
    private final String sha256;
    private final long size;
    private final Path temporary;
    private final List<Buffer> beforeOpen = new ArrayList<>();
    private long received;
    private boolean writeFailed;
    private AsyncFile file;
    private State state = State.WRITING;
    private boolean completeWhenOpen;

    CacheFill(LocalFileCache cache, Vertx vertx, Path directory, String sha256, long size) {
        this.cache = cache;
        this.vertx = vertx;
        this.directory = directory;
        this.sha256 = sha256;
        this.size = size;
        this.temporary = directory.resolve(sha256 + "." + UUID.randomUUID() + ".part");
        vertx.fileSystem()
                .open(temporary.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .onComplete(this::opened);
    }

    private void opened(AsyncResult<AsyncFile> open) {
        if (open.failed()) {
            LOG.debugf("no cache fill of %s: %s", sha256, open.cause());
            if (state != State.DONE) {
                giveUp();
            }
            return;
        }
        file = open.result();
        if (state == State.DONE) {
            discard();
            return;
        }
        file.exceptionHandler(failure -> writeFailed(failure));
        beforeOpen.forEach(this::append);
        beforeOpen.clear();
        if (completeWhenOpen) {
            finish();
        }
    }

    @Override
    public void write(Buffer chunk) {
        if (state != State.WRITING) {
            return;
        }
        received += chunk.length();
        if (received > size) {
            abandon("the store sent more than " + size + " bytes");
        } else if (!cache.reserve(chunk.length())) {
            abandon("the disk fell behind the downloads");
        } else if (file == null) {
            beforeOpen.add(chunk);
        } else {
            append(chunk);
        }
    }

    /** A reserved chunk to the file; its reservation ends with its write. */
    private void append(Buffer chunk) {
        file.write(chunk).onComplete(written -> cache.release(chunk.length())).onFailure(this::writeFailed);
    }

    @Override
    public void complete() {
        if (state != State.WRITING) {
            return;
        }
        if (received != size) {
            abandon("the download ended after " + received + " of " + size + " bytes");
            return;
        }
        state = State.ENDING;
        if (file == null) {
            completeWhenOpen = true;
        } else {
            finish();
        }
    }

    /** Closing waits for the queued writes; then the whole file takes the digest's name at once. */
    private void finish() {
        String target = directory.resolve(sha256).toString();
        file.close()
                .compose(closed -> writeFailed
                        ? io.vertx.core.Future.failedFuture("a write failed")
                        : vertx.fileSystem()
                                .move(
                                        temporary.toString(),
                                        target,
                                        new CopyOptions().setAtomicMove(true).setReplaceExisting(true)))
                .onSuccess(moved -> cache.filled(directory, sha256, size))
                .onFailure(failure -> {
                    LOG.debugf("the cache fill of %s was not kept: %s", sha256, failure);
                    vertx.fileSystem().delete(temporary.toString());
                    giveUp();
                });
    }

    @Override
    public void abandon() {
        abandon("the download did not complete");
    }

    private void abandon(String why) {
        if (state != State.WRITING) {
            return;
        }
        LOG.debugf("cache fill of %s abandoned: %s", sha256, why);
        giveUp();
        if (file != null) {
            discard();
        } // else: opened() discards the file once it is open
    }

    /** No file will be kept: the chunks still held give their reservations back, the digest is free to fill again. */
    private void giveUp() {
        state = State.DONE;
        beforeOpen.forEach(chunk -> cache.release(chunk.length()));
        beforeOpen.clear();
        cache.fillAbandoned(sha256);
    }

    private void writeFailed(Throwable failure) {
        if (state == State.ENDING) {
            writeFailed = true; // finish() sees it after the close
        } else {
            abandon("a write failed: " + failure);
        }
    }

    private void discard() {
        file.close().onComplete(closed -> vertx.fileSystem().delete(temporary.toString()));
    }
}
