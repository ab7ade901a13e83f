package dev.miniplatform.api.preview;

import dev.miniplatform.model.hashing.Sha256;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewTicketTest {

    @Test
    void ticketsAre256RandomBitsInBase64UrlAndOnlyTheirHashIsKept() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            PreviewTicket ticket = PreviewTicket.issue();
            assertThat(ticket.value()).matches("[A-Za-z0-9_-]{43}");
            assertThat(PreviewTicket.wellFormed(ticket.value())).isTrue();
            assertThat(ticket.hash()).isEqualTo(Sha256.hexOf(ticket.value())).doesNotContain(ticket.value());
            seen.add(ticket.value());
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void theTicketNeverShowsInLogs() {
        PreviewTicket ticket = PreviewTicket.issue();
        assertThat(ticket.toString()).doesNotContain(ticket.value());
    }

    @Test
    void otherStringsAreNotTickets() {
        assertThat(PreviewTicket.wellFormed(null)).isFalse();
        assertThat(PreviewTicket.wellFormed("x".repeat(42))).isFalse();
        assertThat(PreviewTicket.wellFormed("x".repeat(44))).isFalse();
        assertThat(PreviewTicket.wellFormed("x".repeat(42) + "/")).isFalse();
    }

    @Test
    void aTicketNeverOutlivesItsPreview() {
        PreviewProperties properties = new PreviewProperties(Duration.ofHours(24), Duration.ofHours(2), 10, 20, false,
                Duration.ofMinutes(1), 320);
        Instant now = Instant.parse("2026-12-05T10:00:00Z");

        assertThat(properties.ticketExpiry(now, now.plus(Duration.ofHours(24)))).isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(properties.ticketExpiry(now, now.plus(Duration.ofMinutes(30)))).isEqualTo(now.plus(Duration.ofMinutes(30)));
    }
}
