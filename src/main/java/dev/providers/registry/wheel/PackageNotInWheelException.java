package dev.providers.registry.wheel;

/**
 * The wheel is valid but the {@code package_name} requested by the publisher is not a package of it.
 * No stack trace is recorded.
 */
public final class PackageNotInWheelException extends Exception {
    private static final long serialVersionUID = 1L;

    public PackageNotInWheelException(String message) {
        super(message, null, false, false);
    }
}
