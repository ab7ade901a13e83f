package dev.miniplatform.model.isv;

import dev.miniplatform.model.VersionedEntity;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A service an ISV offers merchants; the scopes are what a merchant's authorization of it grants.
 * {@code industries} and {@code scopes} are joined by spaces. {@code isvName} is copied from the ISV's application
 * so the marketplace can show it without reading another tenant's rows.
 */
@Table("isv_services")
public record IsvService(
        UUID tenantId,
        @Id UUID id,
        String isvName,
        ServiceType type,
        String name,
        String description,
        String industries,
        String scopes,
        ServiceState state,
        String reason,
        Instant createdAt,
        Instant updatedAt,
        @Version Long version) implements VersionedEntity<UUID> {

    public List<String> industryList() {
        return Arrays.asList(industries.split(" "));
    }

    public List<String> scopeList() {
        return Arrays.asList(scopes.split(" "));
    }

    public IsvService apply(ServiceAction action, String newReason, Instant now) {
        return new IsvService(tenantId, id, isvName, type, name, description, industries, scopes,
                ServiceStateMachine.next(state, action), newReason, createdAt, now, version);
    }
}
