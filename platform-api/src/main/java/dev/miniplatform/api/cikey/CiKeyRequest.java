package dev.miniplatform.api.cikey;

import java.util.List;

/**
 * A new CI key.
 *
 * @param name           what it is for, shown in lists and audit entries (1–64 characters)
 * @param appIds         the mini programs it may work on (1–50 of this workspace's)
 * @param allowSubmit    whether it may also submit versions for review (default: no)
 * @param allowedSources address blocks it may be used from (at most 20; none: anywhere)
 */
record CiKeyRequest(String name, List<String> appIds, Boolean allowSubmit, List<String> allowedSources) {
}
