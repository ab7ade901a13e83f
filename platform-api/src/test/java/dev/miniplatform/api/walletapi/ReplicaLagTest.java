package dev.miniplatform.api.walletapi;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicaLagTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aReplicaThatReplayedWhatThePrimaryHadDoesNotLagHoweverLongThePrimaryIsIdle() {
        ReplicaLag lag = new ReplicaLag();
        assertThat(lag.observe(0, Lsn.parse("0/3000060"), Lsn.parse("0/3000060"))).isZero();
        assertThat(lag.observe(60 * SECOND, Lsn.parse("0/3000060"), Lsn.parse("0/3000060"))).isZero();
    }

    @Test
    void theLagIsHowLongAgoThePrimaryWroteWhatTheReplicaHasNotReplayed() {
        ReplicaLag lag = new ReplicaLag();
        assertThat(lag.observe(0, new Lsn(100), new Lsn(100))).isZero();
        assertThat(lag.observe(SECOND, new Lsn(200), new Lsn(100))).isZero();
        assertThat(lag.observe(2 * SECOND, new Lsn(300), new Lsn(100))).isEqualTo(Duration.ofSeconds(1));
        // a replica cut off from its primary receives nothing more: it falls behind by the clock
        assertThat(lag.observe(5 * SECOND, new Lsn(300), new Lsn(100))).isEqualTo(Duration.ofSeconds(4));
        // replaying the first write dates the lag from the second
        assertThat(lag.observe(6 * SECOND, new Lsn(300), new Lsn(250))).isEqualTo(Duration.ofSeconds(4));
        assertThat(lag.observe(7 * SECOND, new Lsn(300), new Lsn(300))).isZero();
    }

    @Test
    void aLongOutageKeepsItsOldestSampleWhileSamplesAreBounded() {
        ReplicaLag lag = new ReplicaLag();
        lag.observe(0, new Lsn(1), new Lsn(1));
        Duration last = Duration.ZERO;
        for (int i = 1; i <= 5000; i++) {
            last = lag.observe(i * SECOND, new Lsn(1 + i), new Lsn(1));
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(4999));
    }

    @Test
    void walPositionsReadAsPostgresWritesThem() {
        assertThat(Lsn.parse("16/B374D848").position()).isEqualTo(0x16B374D848L);
        assertThat(Lsn.parse("16/B374D848")).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/3000060").reached(Lsn.parse("0/3000028"))).isTrue();
        assertThat(Lsn.parse("0/3000028").reached(Lsn.parse("0/3000060"))).isFalse();
        assertThat(Lsn.ZERO.reached(Lsn.UNREACHABLE)).isFalse();
        assertThatThrownBy(() -> Lsn.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
    }
}
