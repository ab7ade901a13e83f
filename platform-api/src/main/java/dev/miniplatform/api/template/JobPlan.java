package dev.miniplatform.api.template;

import dev.miniplatform.model.release.Environment;
import dev.miniplatform.model.release.SemanticVersion;
import dev.miniplatform.model.template.BatchJobKind;
import dev.miniplatform.model.template.ExtConfigSchema;

import java.util.UUID;

/**
 * What every item of one job shares, loaded once per job and node (in the ISV's tenant): the ISV, and for
 * APPLY_TEMPLATE the template version's schema and code package, for RELEASE/ROLLBACK the target.
 */
record JobPlan(UUID jobId, BatchJobKind kind, UUID isvId, String isvName, String clientId, UUID templateId,
               SemanticVersion version, String description, ExtConfigSchema schema, String sha256, byte[] packageBytes,
               UUID walletId, Environment environment, Integer grayPercent) {
}
