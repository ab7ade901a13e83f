package dev.miniplatform.api.marketplace;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.miniplatform.model.isv.IsvService;

import java.time.Instant;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
record ServiceView(String id, String isvId, String isv, String type, String name, String description,
                   List<String> industries, List<String> scopes, String state, String reason, Instant createdAt) {

    static ServiceView of(IsvService service) {
        return new ServiceView(service.id().toString(), service.tenantId().toString(), service.isvName(),
                service.type().name(), service.name(), service.description(), service.industryList(),
                service.scopeList(), service.state().name(), service.reason(), service.createdAt());
    }
}
