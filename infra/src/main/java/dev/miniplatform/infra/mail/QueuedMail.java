package dev.miniplatform.infra.mail;

import dev.miniplatform.infra.effects.ClaimedEffect;
import dev.miniplatform.infra.effects.Effect;
import dev.miniplatform.infra.effects.EffectHandler;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.UUID;

/**
 * Mail as a queued side effect: {@link #of} describes a message; the queue sends it after the change that asked for
 * it commits, and retries while the SMTP server refuses. A message that was handed to the server but whose
 * confirmation got lost may be sent twice; SMTP offers nothing better, and a repeated invitation is harmless.
 */
@Component
public class QueuedMail implements EffectHandler {

    static final String KIND = "mail";

    private final Mailer mailer;

    QueuedMail(Mailer mailer) {
        this.mailer = mailer;
    }

    /** A message to send once the current transaction commits; each call is a separate message. */
    public static Effect of(UUID tenantId, String from, String to, String subject, String text) {
        return new Effect(tenantId, "mail:" + UUID.randomUUID(), KIND,
                Map.of("from", from, "to", to, "subject", subject, "text", text));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Mono<Void> perform(ClaimedEffect effect) {
        return mailer.send(effect.text("from"), effect.text("to"), effect.text("subject"), effect.text("text"));
    }
}
