/**
 * Who changed what in a workspace: {@link dev.miniplatform.api.audit.AuditLog} writes an entry in the
 * transaction of the change; owners and masters read the log.
 */
@ApplicationModule(displayName = "Audit log", allowedDependencies = {"access", "paging"})
package dev.miniplatform.api.audit;

import org.springframework.modulith.ApplicationModule;
