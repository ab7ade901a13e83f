package dev.miniplatform.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.workspace.*}: limits of a merchant or ISV workspace and where its console lives.
 *
 * @param maxMiniPrograms cap on mini programs per tenant (Alipay+ allows 10 per merchant for Alipay China)
 * @param maxWorkspacesPerUser cap on open workspaces one person owns (sign-up is open to anyone)
 * @param consoleUrl      base URL of the console, for links in invitation emails
 * @param mailFrom        sender of the platform's emails
 * @param logInvitationLinks log accept links of sent invitations (dev runs, where mail stays in-process)
 * @param storageQuotaBytes bytes a workspace may store: its code packages (mini program and template versions,
 *                          including the copies batch jobs make for it) and logos; 1 GiB is 50 packages of the largest
 *                          size (platform.release.max-package-bytes), far beyond what a mini program's history needs
 */
@Validated
@ConfigurationProperties("platform.workspace")
public record WorkspaceProperties(
        @Min(1) @DefaultValue("10") int maxMiniPrograms,
        @Min(1) @DefaultValue("10") int maxWorkspacesPerUser,
        @NotBlank @DefaultValue("http://127.0.0.1:8080") String consoleUrl,
        @NotBlank @DefaultValue("Mini Program Platform <no-reply@mini-program-platform.local>") String mailFrom,
        @DefaultValue("false") boolean logInvitationLinks,
        @Min(1) @DefaultValue("1073741824") long storageQuotaBytes) {
}
