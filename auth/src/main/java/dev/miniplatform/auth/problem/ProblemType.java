package dev.miniplatform.auth.problem;

import org.springframework.http.HttpStatus;

import java.net.URI;

/**
 * Every kind of error the API answers with. The {@code type} URIs are stable: clients may switch on them.
 */
public enum ProblemType {
    VALIDATION(HttpStatus.BAD_REQUEST, "validation", "Invalid request"),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Not allowed"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
    /** An ISV's grant lacks the scope the operation needs (RFC 6750's error code, as the type's last segment). */
    INSUFFICIENT_SCOPE(HttpStatus.FORBIDDEN, "insufficient_scope", "Insufficient scope"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),
    CONFLICT(HttpStatus.CONFLICT, "conflict", "Conflict"),
    /**
     * A workspace quota (storage, mini programs) would be passed: 409 like any refusal that depends on the current
     * state and goes away when the caller changes it (deletes something), unlike 413 (this request is too large,
     * always) or 429 (wait). The problem's {@code quota} names the quota, its usage and its limit.
     */
    QUOTA_EXCEEDED(HttpStatus.CONFLICT, "quota-exceeded", "Quota exceeded"),
    GONE(HttpStatus.GONE, "gone", "No longer available"),
    /** An Idempotency-Key sent again with another request body (draft-ietf-httpapi-idempotency-key-header). */
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency key reused"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request body too large"),
    URI_TOO_LONG(HttpStatus.URI_TOO_LONG, "uri-too-long", "Request URI too long"),
    HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large", "Request headers too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
    TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests"),
    UPSTREAM_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "upstream-unavailable", "A service the platform depends on is unavailable"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error");

    private static final String BASE = "urn:mini-program-platform:problem:";

    private final HttpStatus status;
    private final URI uri;
    private final String title;

    ProblemType(HttpStatus status, String slug, String title) {
        this.status = status;
        this.uri = URI.create(BASE + slug);
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status.value() == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : MALFORMED_REQUEST;
    }
}
