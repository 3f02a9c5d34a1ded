package dev.providers.registry.fetch;

/**
 * A failed fetch: its cause (a {@link dev.providers.registry.problem.ProblemException} for every failure the fetch
 * rules name, anything else is a bug) and the address it had connected to, for the caller's log line.
 */
public final class FetchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String address;

    FetchFailure(Throwable cause, String address) {
        super(cause.getMessage(), cause, false, false);
        this.address = address;
    }

    /** The checked address the failed request went to, or null when it failed before connecting. */
    public String address() {
        return address;
    }
}
