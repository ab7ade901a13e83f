/**
 * The one translator of failures into RFC 9457 problem bodies, and the request-shape guards in front of it.
 * A feature's exception brings its own body ({@link dev.miniplatform.api.error.ProblemCarrier}), so this module
 * knows no feature. (It names the request id's MDC key of {@code ops}; javac inlines that constant, so the
 * dependency is declared here although the byte code does not show it.)
 */
@ApplicationModule(displayName = "Problem details", allowedDependencies = {"ops"})
package dev.miniplatform.api.error;

import org.springframework.modulith.ApplicationModule;
