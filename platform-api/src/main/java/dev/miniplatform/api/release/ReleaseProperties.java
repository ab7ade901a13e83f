package dev.miniplatform.api.release;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.release.*}
 *
 * @param maxPackageBytes  largest code package accepted (keep {@code spring.webflux.multipart.max-disk-usage-per-part} at least this)
 * @param maxWaitingVersions versions uploaded but not yet submitted anywhere, per mini program (Alipay+ allows 20)
 * @param maxPilotUsers    size of a pilot whitelist
 */
@Validated
@ConfigurationProperties("platform.release")
public record ReleaseProperties(
        @Min(1) @DefaultValue("20971520") long maxPackageBytes,
        @Min(1) @DefaultValue("20") int maxWaitingVersions,
        @Min(1) @DefaultValue("1000") int maxPilotUsers) {
}
