package dev.miniplatform.api.error;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection driven byte by byte, for what an HTTP client library hides or refuses to
 * send: several requests on one socket, bodies the server never reads, raw bytes in the request line.
 */
public final class RawHttpConnection implements AutoCloseable {

    public record Response(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean closesConnection() {
            return "close".equalsIgnoreCase(header("connection"));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttpConnection(int port, Duration answerWithin) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) answerWithin.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static byte[] request(String method, String target, String bearer, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (bearer != null) {
            head.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + (body == null ? 0 : body.length)];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        if (body != null) {
            System.arraycopy(body, 0, all, headBytes.length, body.length);
        }
        return all;
    }

    /**
     * The head of a request whose body follows separately (maybe never in full): any headers, and the length the
     * body claims.
     */
    public static byte[] head(String method, String target, Map<String, String> headers, long contentLength) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends one request and reads exactly one response; throws if none arrives in time. */
    public Response exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        return read();
    }

    /**
     * Sends the bytes from another thread while reading the response here: a server may answer before it has read
     * them all (and then stop reading, which fails the sending; that is not an error here).
     */
    public Response exchangeWhileSending(byte[] request) throws IOException {
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                out.write(request);
                out.flush();
            } catch (IOException stoppedReading) {
                // the server answered and closed: what the caller wants to see
            }
        });
        try {
            return read();
        } finally {
            sender.interrupt();
        }
    }

    boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return e instanceof java.net.SocketException;
        }
    }

    private Response read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else {
            body = new byte[0];
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
            body.write(in.readNBytes(size));
            line();
        }
        line();
        return body.toByteArray();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
