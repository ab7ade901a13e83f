package dev.miniplatform.api.domains;

import dev.miniplatform.model.domains.DomainList;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A PUT's body: all five lists (each required, {@code []} for none) and the revision last read (0 before the first
 * save).
 */
record DomainsRequest(List<String> request, List<String> upload, List<String> download, List<String> socket,
                      List<String> webView, Long revision) {

    Map<DomainList, List<String>> lists() {
        Map<DomainList, List<String>> lists = new EnumMap<>(DomainList.class);
        lists.put(DomainList.REQUEST, request);
        lists.put(DomainList.UPLOAD, upload);
        lists.put(DomainList.DOWNLOAD, download);
        lists.put(DomainList.SOCKET, socket);
        lists.put(DomainList.WEB_VIEW, webView);
        return lists;
    }
}
