/**
 * Signed webhooks (Standard Webhooks) that deliver the outbox's events to ISVs (authorizations, releases, template
 * jobs): relaying, sending to checked public addresses only, retries, and the ISV's delivery log.
 */
@ApplicationModule(displayName = "Webhooks", allowedDependencies = {"access", "isv", "paging"})
package dev.miniplatform.api.webhook;

import org.springframework.modulith.ApplicationModule;
