package dev.providers.registry.wheel;

/**
 * The streamed file is not an acceptable wheel (not a zip, malformed or hostile zip, unsafe entry
 * names, or no {@code .dist-info} directory matching the expected distribution and version).
 *
 * <p>Messages are meant for the publisher: they never contain raw bytes from the archive (entry
 * names are sanitised to printable ASCII and truncated). No stack trace is recorded.
 */
public final class NotAWheelException extends Exception {
    private static final long serialVersionUID = 1L;

    public NotAWheelException(String message) {
        super(message, null, false, false);
    }
}
