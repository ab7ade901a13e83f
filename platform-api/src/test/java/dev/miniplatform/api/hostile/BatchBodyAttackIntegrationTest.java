package dev.miniplatform.api.hostile;

import com.sun.management.ThreadMXBean;
import dev.miniplatform.api.error.RawHttpConnection;
import dev.miniplatform.api.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, item 2: six parallel 16 MB batch-job bodies of empty items ({@code "items":[{},{},…]}, 5.4 million of
 * them) grew the process by 5 GB and took 24 s each to answer 404. The body is now read as it arrives: the template
 * is checked where the items begin, items are counted while read, so a refusal comes before the rest of the body
 * is even sent. The tests send bodies that stop short of their declared length: the code before the fix waited for
 * the rest until the client gave up.
 */
class BatchBodyAttackIntegrationTest extends IntegrationTest {

    static final int DECLARED = 16_000_000;
    static final long MB = 1024 * 1024;

    @LocalServerPort
    int port;

    IsvTemplate isv;

    @BeforeEach
    void anIsvWithATemplateVersion() {
        isv = IsvTemplate.create(api, keycloak);
        isv.uploadVersion("1.0.0", "{\"type\": \"object\"}").expectStatus().isCreated();
    }

    @Test
    void theItemPastTheLimitIsRefusedBeforeTheRestOfTheBodyIsSent() throws IOException {
        byte[] firstItems = bytes(head(isv.templateId()) + "{},".repeat(10_000) + "{}");

        RawHttpConnection.Response response = sendOnly(firstItems);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"items\"", "\"code\":\"size\"", "at most 10000 items");
        assertThat(response.closesConnection()).as("the unread rest cannot be taken for a next request").isTrue();
    }

    @Test
    void anUnknownTemplateIsA404BeforeItsItemsAreSent() throws IOException {
        RawHttpConnection.Response unknown = sendOnly(bytes(head(UUID.randomUUID().toString()) + "{}"));
        RawHttpConnection.Response notAnId = sendOnly(bytes(head("x") + "{}"));

        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("Template version");
        assertThat(notAnId.status()).as(notAnId.body()).isEqualTo(404);
    }

    @Test
    void theSixteenMegabyteBodyOfTheReportCostsLittleHeap() throws IOException {
        for (String template : new String[] {UUID.randomUUID().toString(), isv.templateId()}) {
            byte[] request = concat(requestHead(), sixteenMegabytesOfEmptyItems(template));
            long allocatedBefore = allocatedBytes();
            long started = System.nanoTime();

            RawHttpConnection.Response response = sendWhole(request);

            long allocated = allocatedBytes() - allocatedBefore;
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("[batch-body] template %s: %d answered in %d ms, %d MB allocated (all threads, client included)%n",
                    template.equals(isv.templateId()) ? "known" : "unknown", response.status(), millis, allocated / MB);
            assertThat(response.status()).as(response.body()).isIn(400, 404);
            // the whole 16 MB parsed as a tree allocated over a gigabyte; reading stops after a few kilobytes now
            assertThat(allocated).as("bytes allocated while refusing 16 MB of items").isLessThan(64 * MB);
        }
    }

    private String head(String template) {
        return "{\"kind\":\"APPLY_TEMPLATE\",\"template\":\"" + template + "\",\"version\":\"1.0.0\",\"items\":[";
    }

    /** The body: 16,000,000 bytes, about 5.3 million empty items. */
    private byte[] sixteenMegabytesOfEmptyItems(String template) {
        byte[] start = bytes(head(template));
        byte[] end = bytes("{}]}");
        byte[] body = new byte[DECLARED];
        System.arraycopy(start, 0, body, 0, start.length);
        byte[] item = bytes("{},");
        int at = start.length;
        while (at + item.length + end.length <= body.length) {
            System.arraycopy(item, 0, body, at, item.length);
            at += item.length;
        }
        Arrays.fill(body, at, body.length - end.length, (byte) ' ');
        System.arraycopy(end, 0, body, body.length - end.length, end.length);
        return body;
    }

    /** The first bytes of a body declared as 16,000,000 bytes, and nothing more. */
    private RawHttpConnection.Response sendOnly(byte[] firstBytes) throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(port, Duration.ofSeconds(30))) {
            return connection.exchange(concat(requestHead(), firstBytes));
        }
    }

    private RawHttpConnection.Response sendWhole(byte[] request) throws IOException {
        try (RawHttpConnection connection = new RawHttpConnection(port, Duration.ofSeconds(120))) {
            return connection.exchangeWhileSending(request);
        }
    }

    private byte[] requestHead() {
        return RawHttpConnection.head("POST", "/api/v1/tenants/" + isv.tenantId() + "/batch-jobs", Map.of(
                "Authorization", "Bearer " + isv.owner().accessToken(),
                "Content-Type", "application/json",
                "Idempotency-Key", UUID.randomUUID().toString()), DECLARED);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long allocatedBytes() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }
}
