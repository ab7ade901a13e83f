package dev.miniplatform.devservices;

import java.util.List;

/**
 * A service the platform needs could not be had. Carries what was tried and how to fix it, so that start-up
 * fails with one readable paragraph (see {@link DevServiceFailureAnalyzer}) instead of a deep stack trace.
 */
public class DevServiceUnavailableException extends RuntimeException {

    private final String service;
    private final List<String> attempts;
    private final String remedy;

    public DevServiceUnavailableException(String service, List<String> attempts, String remedy) {
        super(service + " is not available; tried: " + String.join("; ", attempts));
        this.service = service;
        this.attempts = List.copyOf(attempts);
        this.remedy = remedy;
    }

    public String service() {
        return service;
    }

    public List<String> attempts() {
        return attempts;
    }

    public String remedy() {
        return remedy;
    }
}
