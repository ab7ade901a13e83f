package dev.miniplatform.api.template;

import java.util.UUID;

/**
 * A job none of whose items can run, whatever is retried: the runner fails its open items at once with this reason
 * (worded for the ISV's owner: what is wrong and what to do), and job creation refuses the same cause up front.
 */
final class JobCannotRun extends RuntimeException {

    private JobCannotRun(String reason) {
        super(reason, null, false, false);
    }

    static String noApplicationReason(UUID isvId) {
        return "the ISV workspace has no OAuth application, so no merchant can have authorized it: register it "
                + "(PUT /api/v1/tenants/%s/isv-application), have merchants authorize its service, then start a new job"
                .formatted(isvId);
    }

    static JobCannotRun noApplication(UUID isvId) {
        return new JobCannotRun(noApplicationReason(isvId));
    }

    static JobCannotRun templateVersionGone(UUID templateId, String version) {
        return new JobCannotRun("template %s version %s no longer exists; start a new job with an APPROVED version"
                .formatted(templateId, version));
    }
}
