/**
 * What operators see: a request id on every request and in every log line about it, which traces are recorded
 * (the sampler of Spring Boot's OpenTelemetry tracing), and Keycloak's health.
 */
@ApplicationModule(displayName = "Operations", allowedDependencies = {})
package dev.miniplatform.api.ops;

import org.springframework.modulith.ApplicationModule;
