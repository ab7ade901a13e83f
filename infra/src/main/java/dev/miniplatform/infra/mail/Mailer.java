package dev.miniplatform.infra.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;

/**
 * Sends plain-text mail through the configured SMTP server. JavaMail blocks, so every send runs on
 * {@link Schedulers#boundedElastic()} with a time limit.
 */
@Component
public class Mailer {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final JavaMailSender sender;

    public Mailer(JavaMailSender sender) {
        this.sender = sender;
    }

    public Mono<Void> send(String from, String to, String subject, String text) {
        return Mono.fromRunnable(() -> sender.send(message(from, to, subject, text)))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(TIMEOUT)
                .then();
    }

    private MimeMessage message(String from, String to, String subject, String text) {
        MimeMessage message = sender.createMimeMessage();
        try {
            MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
            helper.setFrom(from);
            helper.setTo(to);
            helper.setSubject(subject);
            helper.setText(text, false);
            return message;
        } catch (MessagingException e) {
            throw new IllegalArgumentException("cannot build mail to " + to + ": " + e.getMessage(), e);
        }
    }
}
