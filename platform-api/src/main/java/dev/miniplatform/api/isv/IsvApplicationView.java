package dev.miniplatform.api.isv;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.miniplatform.model.isv.IsvApplication;

import java.util.List;

/** The application as its ISV sees it; the secrets appear only when just created or rotated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IsvApplicationView(String isvId, String clientId, String name, List<String> redirectUris,
                          String webhookUrl, String status, String clientSecret, String webhookSecret) {

    static IsvApplicationView of(IsvApplication application, String clientSecret, String webhookSecret) {
        return new IsvApplicationView(application.tenantId().toString(), application.clientId(), application.name(),
                application.redirectUriList(), application.webhookUrl(), application.status().name(), clientSecret,
                webhookSecret);
    }
}
