package dev.providers.registry.publish;

import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/** The uploading client closed or reset its connection: the upload is cleaned up, and no answer can reach it. */
public final class ClientGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientGone(String reason) {
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }

    /** Whether a failure of the request's stream means the client went away. */
    static boolean isDisconnect(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
                return true;
            }
            if (t instanceof IOException
                    && t.getMessage() != null
                    && t.getMessage().contains("reset")) {
                return true;
            }
            if (t instanceof VertxException && "Connection was closed".equals(t.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
