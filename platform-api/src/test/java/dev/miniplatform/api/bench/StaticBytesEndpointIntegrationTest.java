package dev.miniplatform.api.bench;

import dev.miniplatform.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The benchmark's baseline as bench/run calls it: public for GET and only for GET, through the rule the endpoint
 * contributes to the security chain itself; the paths next to it stay closed.
 */
class StaticBytesEndpointIntegrationTest extends IntegrationTest {

    @Test
    void whenAnyoneGetsTheStaticBytesThenTheyAreServedWithoutAToken() {
        api.get().uri(StaticBytesEndpoint.PATH)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(byte[].class).isEqualTo(StaticBytesEndpoint.BODY);
    }

    @Test
    void whenAnotherMethodOrPathIsUsedWithoutATokenThenItIs401() {
        api.post().uri(StaticBytesEndpoint.PATH)
                .exchange()
                .expectStatus().isUnauthorized();
        api.get().uri("/bench/other")
                .exchange()
                .expectStatus().isUnauthorized();
    }
}
