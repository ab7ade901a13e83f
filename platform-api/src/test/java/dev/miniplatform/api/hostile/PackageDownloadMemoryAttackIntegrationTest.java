package dev.miniplatform.api.hostile;

import dev.miniplatform.api.support.Catalog;
import dev.miniplatform.api.support.Catalog.RegisteredWallet;
import dev.miniplatform.api.support.CodePackagesForTests;
import dev.miniplatform.api.support.IntegrationTest;
import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.api.support.Workspace;
import dev.miniplatform.model.hashing.Sha256;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wallet downloads a large code package on several connections and stops reading: the server must not hold a
 * whole package per request (heap or direct memory) while it waits for the client. The package streams from
 * PostgreSQL in bounded pieces, and the next piece is read only when the connection has taken the previous ones.
 */
class PackageDownloadMemoryAttackIntegrationTest extends IntegrationTest {

    private static final int MB = 1024 * 1024;
    private static final int PACKAGE_BYTES = 16 * MB;
    private static final int STALLED_DOWNLOADS = 6;

    @LocalServerPort
    int port;

    @Test
    void stalledDownloadsOfALargePackageHoldNoWholePackageInMemory() throws Exception {
        TestUser admin = keycloak.newUserWithRealmRole("admin", "platform-admin");
        Catalog catalog = new Catalog(api, keycloak, admin);
        RegisteredWallet wallet = catalog.registerWallet("Download Wallet");
        Workspace workspace = Workspace.create(api, keycloak);
        String appId = workspace.createMiniProgram(workspace.owner, "Large Tea");
        byte[] zip = CodePackagesForTests.noise(PACKAGE_BYTES, 16);
        catalog.upload(workspace, appId, "1.0.0", zip).expectStatus().isCreated();
        catalog.releaseUploaded(workspace, appId, "1.0.0", wallet.id());
        String path = "/wallet/v1/packages/" + Sha256.hexOf(zip);

        // a whole download: every byte, its length, and the hash as a strong, immutable validator
        HttpResponse<byte[]> whole = download(path, wallet.token(), null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(zip);
        assertThat(whole.headers().firstValue(HttpHeaders.CONTENT_LENGTH)).hasValue(Integer.toString(zip.length));
        assertThat(whole.headers().firstValue(HttpHeaders.ETAG)).hasValue("\"" + Sha256.hexOf(zip) + "\"");
        assertThat(whole.headers().firstValue(HttpHeaders.CACHE_CONTROL).orElseThrow()).contains("immutable");
        assertThat(download(path, wallet.token(), "\"" + Sha256.hexOf(zip) + "\"").statusCode()).isEqualTo(304);

        long before = retainedBytes();
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < STALLED_DOWNLOADS; i++) {
                stalled.add(stalledDownload(path, wallet.token()));
            }
            // the server writes what the connections take (socket buffers), then waits for the clients
            Thread.sleep(2000);
            long during = retainedBytes();
            long growth = during - before;
            System.out.printf("%d stalled downloads of a %d MB package: memory held %+d KB (heap + direct, after GC)%n",
                    STALLED_DOWNLOADS, zip.length / MB, growth / 1024);
            // a whole package per download would hold 6 × 16 MB = 96 MB; streamed, a few pieces each, whatever the size
            assertThat(growth).as("memory held by %d stalled downloads", STALLED_DOWNLOADS)
                    .isLessThan((long) STALLED_DOWNLOADS * PACKAGE_BYTES / 2);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    private HttpResponse<byte[]> download(String path, String token, String ifNoneMatch) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (ifNoneMatch != null) {
            request.header(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /**
     * Sends the request, reads the status line and nothing more; the connection stays open. On the shared, saturated
     * test machine a request may meet a transient 5xx (the connection pool's acquire timeout): the bound is about what
     * an answered download holds, so such a request is sent again.
     */
    private Socket stalledDownload(String path, String token) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = statusLine(socket.getInputStream());
            if (status.startsWith("HTTP/1.1 5") && attempt < 3) {
                socket.close();
                continue;
            }
            assertThat(status).startsWith("HTTP/1.1 200");
            return socket;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** Heap after GC plus direct memory, both the JDK's buffers and Netty's own count where it keeps one. */
    private static long retainedBytes() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
        return heap + direct + Math.max(0, PlatformDependent.usedDirectMemory());
    }
}
