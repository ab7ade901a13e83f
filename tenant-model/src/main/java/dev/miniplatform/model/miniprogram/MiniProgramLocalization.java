package dev.miniplatform.model.miniprogram;

import org.springframework.data.relational.core.mapping.Table;

import java.util.UUID;

/**
 * Name, tagline and description of a mini program in one language. Keyed by (tenant, app, language), so it is
 * written and read through the entity template rather than a CRUD repository.
 */
@Table("mini_program_localizations")
public record MiniProgramLocalization(UUID tenantId, String appId, String language, String name, String tagline,
                                      String description) {
}
