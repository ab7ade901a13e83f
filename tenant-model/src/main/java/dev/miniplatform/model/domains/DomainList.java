package dev.miniplatform.model.domains;

/**
 * The five server domain allow-lists of a mini program, as Alipay and WeChat keep them: where its code may send
 * requests, upload and download files, open sockets, and which pages its web-view may show. The wallet's runtime
 * enforces them; the platform only checks and delivers them.
 */
public enum DomainList {

    REQUEST("request", "https://"),
    UPLOAD("upload", "https://"),
    DOWNLOAD("download", "https://"),
    SOCKET("socket", "wss://"),
    WEB_VIEW("webView", "https://");

    /** Per list; a real platform caps them too (WeChat: 20 request domains), and 5 × 20 entries keep a document small. */
    public static final int MAX_ENTRIES = 20;

    private final String field;
    private final String scheme;

    DomainList(String field, String scheme) {
        this.field = field;
        this.scheme = scheme;
    }

    /** The JSON name, also the field name in errors ({@code request[2]}). */
    public String field() {
        return field;
    }

    /** The only scheme an entry of this list may have: {@code wss://} for sockets, {@code https://} for the rest. */
    public String scheme() {
        return scheme;
    }
}
