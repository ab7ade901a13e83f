package dev.miniplatform.api.support;

import dev.miniplatform.api.support.KeycloakUsers.TestUser;
import dev.miniplatform.devservices.MailCatcher;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A merchant workspace made through the API by a fresh owner, with helpers to fill it the way a person would.
 */
public final class Workspace {

    private static final Pattern ACCEPT = Pattern.compile("/console/invitations#token=(\\S+)");

    public final TestUser owner;
    public final String tenantId;
    private final WebTestClient api;
    private final KeycloakUsers keycloak;

    private Workspace(WebTestClient api, KeycloakUsers keycloak, TestUser owner, String tenantId) {
        this.api = api;
        this.keycloak = keycloak;
        this.owner = owner;
        this.tenantId = tenantId;
    }

    public static Workspace create(WebTestClient api, KeycloakUsers keycloak) {
        TestUser owner = keycloak.newUser("owner");
        String tenantId = api.post().uri("/api/v1/tenants")
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("kind", "MERCHANT", "name", "Tea House " + owner.username()))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("id").toString();
        return new Workspace(api, keycloak, owner, tenantId);
    }

    /** A workspace made elsewhere (e.g. an ISV's, by its onboarding steps), to invite members into it. */
    public static Workspace existing(WebTestClient api, KeycloakUsers keycloak, TestUser owner, String tenantId) {
        return new Workspace(api, keycloak, owner, tenantId);
    }

    public String path(String rest) {
        return "/api/v1/tenants/" + tenantId + rest;
    }

    /** A request that passes every field rule; tests change one field at a time. */
    public static Map<String, Object> validMiniProgram(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("defaultLanguage", "zh-CN");
        body.put("releaseTo", List.of("CN"));
        body.put("industry", "food.tea-coffee");
        body.put("localizations", Map.of(
                "zh-CN", Map.of("name", "西湖茶馆", "tagline", "一杯好茶，一段好时光，欢迎光临", "description",
                        "西湖边的百年茶馆，提供龙井、碧螺春等名茶，以及精致茶点和安静的品茶空间。"),
                "en-US", Map.of("name", name, "tagline", "Fine tea by the West Lake", "description",
                        "A century-old tea house by the West Lake serving Longjing and fine pastries.")));
        body.put("servicePhone", "0571-8888888");
        body.put("serviceEmail", "service@example.com");
        return body;
    }

    public String createMiniProgram(TestUser as, String name) {
        return api.post().uri(path("/mini-programs"))
                .headers(h -> h.setBearerAuth(as.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(validMiniProgram(name))
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("appId").toString();
    }

    /** Invites a new Keycloak user by their email and returns them with the token from the mail. */
    public Invitee invite(String role, List<String> miniPrograms) {
        return invite(keycloak.newUser(role.toLowerCase()), role, miniPrograms);
    }

    /** Invites an existing user (e.g. a platform reviewer, or the owner of another workspace) by their email. */
    public Invitee invite(TestUser invitee, String role, List<String> miniPrograms) {
        api.post().uri(path("/invitations"))
                .headers(h -> h.setBearerAuth(owner.accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "Li Lei", "email", invitee.email(), "role", role, "miniPrograms", miniPrograms))
                .exchange()
                .expectStatus().isCreated();
        return new Invitee(invitee, latestInvitationToken(invitee.email()));
    }

    public record Invitee(TestUser user, String token) {
    }

    /** Invites and accepts; returns the member with a fresh token. */
    public TestUser join(String role, List<String> miniPrograms) {
        return accept(invite(role, miniPrograms));
    }

    /** Makes an existing user a member: invites and accepts; returns them with a fresh token. */
    public TestUser join(TestUser existing, String role) {
        return accept(invite(existing, role, List.of()));
    }

    private TestUser accept(Invitee invitee) {
        api.post().uri("/api/v1/invitations/accept")
                .headers(h -> h.setBearerAuth(invitee.user().accessToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", invitee.token()))
                .exchange()
                .expectStatus().isOk();
        return keycloak.login(invitee.user());
    }

    /** The token in the newest invitation mail to that address, read from the in-process SMTP server. */
    public static String latestInvitationToken(String email) {
        List<MimeMessage> mails = MailCatcher.received().stream()
                .filter(mail -> recipient(mail).equalsIgnoreCase(email))
                .toList();
        if (mails.isEmpty()) {
            throw new AssertionError("no mail was sent to " + email);
        }
        Matcher matcher = ACCEPT.matcher(body(mails.getLast()));
        if (!matcher.find()) {
            throw new AssertionError("the invitation mail carries no accept link");
        }
        return matcher.group(1);
    }

    private static String recipient(MimeMessage mail) {
        try {
            return mail.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String body(MimeMessage mail) {
        try {
            return mail.getContent().toString();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
