package dev.providers.registry.storage;

/** A write or an end of a blob whose write was aborted. */
public class BlobWriteAbortedException extends IllegalStateException {
    public BlobWriteAbortedException(String key) {
        super("the write of blob " + key + " was aborted");
    }
}
