package dev.providers.registry.storage;

/**
 * A promote of a staged blob whose lease lapsed (or whose row is gone): the sweeper may be deleting its bytes, so it
 * can no longer become stored. The upload took longer than the lease it staged the blob with.
 */
public class BlobLeaseLapsedException extends IllegalStateException {
    public BlobLeaseLapsedException(StorageKind backend, String key) {
        super("the staged blob " + backend.column() + ":" + key + " is no longer staged under a running lease");
    }
}
