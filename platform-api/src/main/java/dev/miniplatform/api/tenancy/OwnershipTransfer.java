package dev.miniplatform.api.tenancy;

/**
 * Hand the workspace to this member, who must be an active MASTER.
 */
record OwnershipTransfer(String userId) {
}
