package dev.miniplatform.api.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Drives Keycloak's login and consent pages over plain HTTP like a browser would: follows redirects by hand, keeps
 * cookies in its own jar (Keycloak marks them Secure even on http loopback, which the JDK's CookieManager would
 * then withhold), and submits the forms it finds: username (identity-first, because of the organization scope),
 * password, then consent. {@link #consent} returns the redirect to the ISV's redirect URI, which carries the code;
 * {@link #verifyDevice} completes a device login (the CLI's) and returns Keycloak's last page.
 */
public final class KeycloakBrowser {

    private static final Pattern FORM = Pattern.compile("(?is)<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>");
    private static final Pattern INPUT = Pattern.compile("(?is)<input([^>]*)>");
    private static final Pattern NAME = Pattern.compile("(?is)name=\"([^\"]*)\"");
    private static final Pattern VALUE = Pattern.compile("(?is)value=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final List<String> pages = new ArrayList<>();

    /** Every HTML page seen, in order (the consent page is among them). */
    public List<String> pages() {
        return List.copyOf(pages);
    }

    public URI consent(String authorizeUrl, String username, String password, boolean accept) {
        HttpResponse<String> response = get(URI.create(authorizeUrl));
        for (int step = 0; step < 12; step++) {
            int status = response.statusCode();
            if (status == 302 || status == 303) {
                URI location = URI.create(authorizeUrl).resolve(response.headers().firstValue("location").orElseThrow());
                if (location.getPath().contains("/realms/")) {
                    response = get(location);
                    continue;
                }
                return location;
            }
            response = submit(response, new Person(username, password, accept, null))
                    .orElseThrow(() -> new AssertionError("unexpected Keycloak page: " + pages.getLast()));
        }
        throw new AssertionError("too many steps through Keycloak's pages");
    }

    /**
     * Completes an OAuth 2.0 device login (RFC 8628) as a person at a browser would: opens the verification URI,
     * enters the user code the device showed, logs in and grants the consent Keycloak asks for devices. Returns
     * the last page, Keycloak's "device login successful" (or its refusal).
     */
    public String verifyDevice(String verificationUri, String userCode, String username, String password, boolean accept) {
        URI start = URI.create(verificationUri);
        HttpResponse<String> response = get(start);
        for (int step = 0; step < 12; step++) {
            int status = response.statusCode();
            if (status == 302 || status == 303) {
                response = get(start.resolve(response.headers().firstValue("location").orElseThrow()));
                continue;
            }
            var next = submit(response, new Person(username, password, accept, userCode));
            if (next.isEmpty()) {
                return pages.getLast();
            }
            response = next.get();
        }
        throw new AssertionError("too many steps through Keycloak's pages");
    }

    /** What the person at the browser types and decides. */
    private record Person(String username, String password, boolean accept, String userCode) {
    }

    /** Fills and submits the form of a Keycloak page; empty when the page has none this person knows how to fill. */
    private Optional<HttpResponse<String>> submit(HttpResponse<String> response, Person person) {
        if (response.statusCode() != 200) {
            throw new AssertionError("Keycloak answered " + response.statusCode() + ": " + response.body());
        }
        String html = response.body();
        pages.add(html);
        URI page = response.uri();
        if (html.contains("name=\"accept\"")) {
            Map<String, String> fields = fields(form(html, "name=\"accept\""));
            fields.put(person.accept() ? "accept" : "cancel", person.accept() ? "Yes" : "No");
            return Optional.of(post(page, formAction(html, "name=\"accept\""), fields));
        }
        if (html.contains("name=\"password\"")) {
            Map<String, String> fields = fields(form(html, "name=\"password\""));
            fields.put("username", person.username());
            fields.put("password", person.password());
            return Optional.of(post(page, formAction(html, "name=\"password\""), fields));
        }
        if (html.contains("name=\"username\"")) {
            Map<String, String> fields = fields(form(html, "name=\"username\""));
            fields.put("username", person.username());
            return Optional.of(post(page, formAction(html, "name=\"username\""), fields));
        }
        if (person.userCode() != null && html.contains("name=\"device_user_code\"")) {
            Map<String, String> fields = fields(form(html, "name=\"device_user_code\""));
            fields.put("device_user_code", person.userCode());
            return Optional.of(post(page, formAction(html, "name=\"device_user_code\""), fields));
        }
        return Optional.empty();
    }

    private static String form(String html, String containing) {
        Matcher matcher = FORM.matcher(html);
        while (matcher.find()) {
            if (matcher.group(2).contains(containing)) {
                return matcher.group(2);
            }
        }
        throw new AssertionError("no form with " + containing + " in " + html);
    }

    private static String formAction(String html, String containing) {
        Matcher matcher = FORM.matcher(html);
        while (matcher.find()) {
            if (matcher.group(2).contains(containing)) {
                return matcher.group(1).replace("&amp;", "&");
            }
        }
        throw new AssertionError("no form with " + containing);
    }

    /** Hidden inputs (and others with values) of the form, to send back as they are. */
    private static Map<String, String> fields(String form) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(form);
        while (input.find()) {
            String attributes = input.group(1);
            Matcher name = NAME.matcher(attributes);
            Matcher value = VALUE.matcher(attributes);
            if (name.find() && attributes.contains("hidden")) {
                fields.put(name.group(1), value.find() ? value.group(1).replace("&amp;", "&") : "");
            }
        }
        return fields;
    }

    private HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private HttpResponse<String> post(URI page, String action, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(page.resolve(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        // as every browser does; Keycloak tells a person's device-code form from a device's own request by it
        request.header("Accept", "text/html,application/xhtml+xml");
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            response.headers().allValues("set-cookie").forEach(this::remember);
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void remember(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int equals = pair.indexOf('=');
        if (equals <= 0) {
            return;
        }
        String name = pair.substring(0, equals).trim();
        String value = pair.substring(equals + 1).trim();
        if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }
}
