package dev.miniplatform.api.bench;

import dev.miniplatform.api.UrlMap;
import dev.miniplatform.auth.config.RouteRules;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /bench/static}: fixed JSON bytes of the size of a wallet answer, without authentication — the
 * benchmark's "what this server does with no work at all" baseline (bench/run compares the wallet read to it).
 * Only in the dev jar (src/dev/java), and there off unless {@code platform.bench.static-endpoint=true}; the route
 * and the rule that makes it public come and go together.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "platform.bench.static-endpoint", havingValue = "true")
class StaticBytesEndpoint {

    static final String PATH = "/bench/static";

    static final byte[] BODY = ("{\"appId\":\"mpabcdefghijabcdefghij\",\"language\":\"zh-CN\","
            + "\"name\":\"西湖茶馆\",\"tagline\":\"一杯好茶，一段好时光，欢迎光临\","
            + "\"description\":\"西湖边的百年茶馆，提供龙井、碧螺春等名茶，以及精致茶点和安静的品茶空间。\","
            + "\"logoUrl\":null,\"industry\":\"food.tea-coffee\",\"servicePhone\":\"0571-8888888\","
            + "\"serviceEmail\":\"service@bench.example\",\"version\":\"1.0.0\","
            + "\"packageUrl\":\"/wallet/v1/packages/abababababababababababababababababababababababababababababababab\","
            + "\"packageSha256\":\"abababababababababababababababababababababababababababababababab\","
            + "\"updatedAt\":\"2026-11-22T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);

    @Bean
    RouterFunction<ServerResponse> staticBytes() {
        return RouterFunctions.route()
                .GET(PATH, request -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(BODY))
                .build();
    }

    /** After the wallet API's rules, so that the wallet read does not pay for this one. */
    @Bean
    @Order(UrlMap.BETWEEN)
    RouteRules staticBytesArePublic() {
        return exchanges -> exchanges.pathMatchers(HttpMethod.GET, PATH).permitAll();
    }
}
