package dev.miniplatform.api.marketplace;

import java.util.List;

/** {@code POST /api/v1/tenants/{isvId}/services}. */
record ServiceRequest(String type, String name, String description, List<String> industries,
                      List<String> scopes) {
}
