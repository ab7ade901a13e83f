package dev.miniplatform.api.release;

import java.util.List;

/**
 * Body of submit, release ({@code grayPercent}: 1–99 gray, 100 full), pilot ({@code userIds}), cancel,
 * rollback and offline. Each action reads only the fields it needs.
 */
record ReleaseRequest(TargetRequest target, Integer grayPercent, List<String> userIds) {
}
