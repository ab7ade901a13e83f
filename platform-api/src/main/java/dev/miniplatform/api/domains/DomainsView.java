package dev.miniplatform.api.domains;

import dev.miniplatform.model.domains.DomainList;
import dev.miniplatform.model.domains.ServerDomains;

import java.time.Instant;
import java.util.List;

/**
 * The five lists as saved, with the revision to send back on the next PUT; {@code updatedAt} is null while nothing
 * was ever saved.
 */
record DomainsView(String appId, List<String> request, List<String> upload, List<String> download,
                   List<String> socket, List<String> webView, long revision, Instant updatedAt) {

    static DomainsView of(String appId, ServerDomains domains, long revision, Instant updatedAt) {
        return new DomainsView(appId, domains.get(DomainList.REQUEST), domains.get(DomainList.UPLOAD),
                domains.get(DomainList.DOWNLOAD), domains.get(DomainList.SOCKET), domains.get(DomainList.WEB_VIEW),
                revision, updatedAt);
    }
}
