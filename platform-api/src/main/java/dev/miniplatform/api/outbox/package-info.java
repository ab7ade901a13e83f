/**
 * Events for subscribers, appended in the transaction of the change they describe.
 */
@ApplicationModule(displayName = "Event outbox", allowedDependencies = {})
package dev.miniplatform.api.outbox;

import org.springframework.modulith.ApplicationModule;
