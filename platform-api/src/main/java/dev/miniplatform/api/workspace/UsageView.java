package dev.miniplatform.api.workspace;

/**
 * What a workspace uses of its quotas: stored bytes (code packages and logos) and mini programs. The names are the
 * ones a quota-exceeded problem gives its quota.
 */
record UsageView(long storageBytes, long storageQuotaBytes, long miniPrograms, long miniProgramQuota) {
}
