package dev.miniplatform.api.template;

import dev.miniplatform.api.miniprogram.MiniProgramRequest;
import tools.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code POST /api/v1/tenants/{isvId}/batch-jobs}, one of:
 * <pre>
 * {"kind": "APPLY_TEMPLATE", "template": "&lt;id&gt;", "version": "1.0.0",
 *  "items": [{"merchant": "&lt;tenantId&gt;", "extConfig": {…}, "miniProgram": {…basic information as on create…}}]}
 * {"kind": "RELEASE", "fromJob": "&lt;jobId&gt;", "target": {"wallet": "…", "environment": "PROD"}, "grayPercent": 100}
 * {"kind": "ROLLBACK", "fromJob": "&lt;jobId&gt;", "target": {…}}
 * </pre>
 */
record BatchJobRequest(String kind, String template, String version, List<Item> items, String fromJob, Target target,
                       Integer grayPercent) {

    record Item(String merchant, JsonNode extConfig, MiniProgramRequest miniProgram) {
    }

    record Target(String wallet, String environment) {
    }
}
