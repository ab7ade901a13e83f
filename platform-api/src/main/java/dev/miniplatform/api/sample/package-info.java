/**
 * The platform's gallery of sample mini programs (the "sample codes provided by Mini Program Platform" that
 * templates are built on): plain source files shipped in the jar, zipped deterministically at start-up, checked
 * like any upload; listed and downloaded by anyone signed in; a merchant starts a mini program from one.
 */
@ApplicationModule(displayName = "Sample gallery", allowedDependencies = {"access", "miniprogram", "release"})
package dev.miniplatform.api.sample;

import org.springframework.modulith.ApplicationModule;
