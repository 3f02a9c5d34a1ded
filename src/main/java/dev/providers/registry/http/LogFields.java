package dev.providers.registry.http;

/**
 * The MDC keys of our log lines (JSON logs carry them under {@code mdc}; the plain format prints the request id).
 * Quarkus keeps the MDC on the request's duplicated Vert.x context, so a key put while handling a request is seen by
 * every later log line of that request, on the event loop or a worker, and by no other request.
 */
public final class LogFields {

    /** The request id (the {@code X-Request-Id} answered), put by {@link HttpEdgeFilter}. */
    public static final String REQUEST_ID = "request_id";
    /** A publish: the canonical provider name ({@code prefix/name}). */
    public static final String PROVIDER = "provider";
    /** A publish: the version as given. */
    public static final String VERSION = "version";
    /** A publish: the address the wheel was fetched from (the checked, pinned one), once connected. */
    public static final String WHEEL_ADDRESS = "wheel_address";
    /** A publish: {@code published}, {@code identical} or the problem slug. */
    public static final String OUTCOME = "outcome";

    private LogFields() {}
}
