package dev.miniplatform.api.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The answer to a create: the template's fields as before, and, for a template created from a sample, its first
 * version (absent otherwise, so a plain create answers exactly as it always did).
 */
record TemplateCreated(@JsonUnwrapped TemplateView template,
                       @JsonInclude(JsonInclude.Include.NON_NULL) TemplateVersionView firstVersion) {
}
