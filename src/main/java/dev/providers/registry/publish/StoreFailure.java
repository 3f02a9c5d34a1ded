package dev.providers.registry.publish;

import dev.providers.registry.storage.StorageKind;

/** A failure of the wheel store during an upload (creating, writing or ending the blob), tagged with its backend. */
final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final StorageKind backend;

    StoreFailure(StorageKind backend, Throwable cause) {
        super(cause.getMessage(), cause, false, false);
        this.backend = backend;
    }

    StorageKind backend() {
        return backend;
    }
}
