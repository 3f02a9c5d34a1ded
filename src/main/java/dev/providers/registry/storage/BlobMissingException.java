package dev.providers.registry.storage;

/**
 * A read of bytes that the store does not hold (no such blob, or shorter than asked): a bookkeeping error or a blob
 * deleted behind the registry's back, never a client's fault.
 */
public class BlobMissingException extends IllegalStateException {
    public BlobMissingException(String message) {
        super(message);
    }
}
