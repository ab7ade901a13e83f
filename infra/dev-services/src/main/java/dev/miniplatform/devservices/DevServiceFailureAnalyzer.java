package dev.miniplatform.devservices;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.util.stream.Collectors;

class DevServiceFailureAnalyzer extends AbstractFailureAnalyzer<DevServiceUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DevServiceUnavailableException cause) {
        String tried = cause.attempts().stream()
                .map(attempt -> "  - " + attempt)
                .collect(Collectors.joining(System.lineSeparator()));
        String description = "%s could not be provided. Tried, in order:%n%s".formatted(cause.service(), tried);
        return new FailureAnalysis(description, cause.remedy(), cause);
    }
}
