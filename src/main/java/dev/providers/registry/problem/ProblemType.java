package dev.providers.registry.problem;

/** The problem slugs of the API contract, each with its HTTP status and title. */
public enum ProblemType {
    MALFORMED_BODY("malformed-body", 400, "Malformed body"),
    BAD_REQUEST("bad-request", 400, "Bad request"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN_NAMESPACE("forbidden-namespace", 403, "Forbidden namespace"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    VERSION_IMMUTABLE("version-immutable", 409, "Version immutable"),
    PUBLISH_IN_PROGRESS("publish-in-progress", 409, "Publish in progress"),
    NO_RUNTIME_VERSION("no-runtime-version", 409, "No runtime version"),
    VERSION_NOT_YANKABLE("version-not-yankable", 409, "Version not yankable"),
    RUNTIME_VERSION_EXISTS("runtime-version-exists", 409, "Runtime version exists"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UPLOAD_TIMEOUT("upload-timeout", 408, "Upload timeout"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    RANGE_NOT_SATISFIABLE("range-not-satisfiable", 416, "Range not satisfiable"),
    VALIDATION("validation", 422, "Validation failed"),
    SHA256_MISMATCH("sha256-mismatch", 422, "SHA-256 mismatch"),
    NOT_A_WHEEL("not-a-wheel", 422, "Not a wheel"),
    WHEEL_TOO_LARGE("wheel-too-large", 422, "Wheel too large"),
    URL_NOT_ALLOWED("url-not-allowed", 422, "URL not allowed"),
    RATE_LIMITED("rate-limited", 429, "Rate limited"),
    INTERNAL("internal-error", 500, "Internal error"),
    FETCH_FAILED("fetch-failed", 502, "Fetch failed"),
    DATABASE_UNAVAILABLE("database-unavailable", 503, "Database unavailable"),
    STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable"),
    FETCH_TIMEOUT("fetch-timeout", 504, "Fetch timeout");

    public static final String URN_PREFIX = "urn:provider-registry:problem:";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return URN_PREFIX + slug;
    }

    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
