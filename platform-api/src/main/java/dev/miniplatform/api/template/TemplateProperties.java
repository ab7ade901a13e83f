package dev.miniplatform.api.template;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code platform.templates.*}: templates' ext config schemas (docs/templates.md, "Limits").
 *
 * @param checkBudget CPU time that checking one ext config against a template version's schema may take (the
 *                    ext-config-check endpoint, one batch item when it runs); a typical check takes well under a
 *                    millisecond, a pathological one is cut here and answered as a failure "budget"
 */
@Validated
@ConfigurationProperties("platform.templates")
record TemplateProperties(
        @NotNull @DefaultValue("250ms") Duration checkBudget) {
}
