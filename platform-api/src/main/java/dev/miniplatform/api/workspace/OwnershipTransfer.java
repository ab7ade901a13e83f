package dev.miniplatform.api.workspace;

/**
 * Hand the workspace to this member, who must be an active MASTER.
 */
record OwnershipTransfer(String userId) {
}
