package dev.miniplatform.model.industry;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An entry of the platform's industry catalog. Only leaves ({@code selectable}) can be chosen for a mini program.
 */
@Table("industries")
public record Industry(@Id String code, String parentCode, String name, String nameZh, boolean selectable, int sortOrder) {
}
