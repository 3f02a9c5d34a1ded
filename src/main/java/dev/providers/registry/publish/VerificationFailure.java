package dev.providers.registry.publish;

/**
 * Step 4 failed: why (a {@link dev.providers.registry.problem.ProblemException}, or anything else for a bug), and
 * the address the wheel was fetched from, or null when the fetch failed before connecting.
 */
final class VerificationFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String address;

    VerificationFailure(Throwable reason, String address) {
        super(reason.getMessage(), reason, false, false);
        this.address = address;
    }

    Throwable reason() {
        return getCause();
    }

    String address() {
        return address;
    }
}
