package dev.miniplatform.model.release;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

class GrayBucketTest {

    private static final String APP = "2021000000000001";
    private static final String VERSION = "1.0.0";

    @Test
    void isStableAcrossCallsAndPinnedToTheSpecifiedHash() {
        // Computed once with an independent SHA-256 implementation; a change here breaks every node's agreement.
        assertThat(GrayBucket.of("2021000000000001", "1.0.0", "2088000000000001")).isEqualTo(94);
        assertThat(GrayBucket.of("app-demo", "1.2.3", "user-42")).isEqualTo(56);
        assertThat(GrayBucket.of("app-demo", "2.0.0", "user-42")).isEqualTo(5);
        for (int i = 0; i < 100; i++) {
            assertThat(GrayBucket.of(APP, VERSION, "user-" + i)).isEqualTo(GrayBucket.of(APP, VERSION, "user-" + i));
        }
    }

    @Test
    void bucketsAreBetween0And99() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(GrayBucket.of(APP, VERSION, "user-" + i)).isBetween(0, 99);
        }
    }

    @Test
    void bucketsAreUniform() {
        int users = 100_000;
        int[] counts = new int[100];
        for (int i = 0; i < users; i++) {
            counts[GrayBucket.of(APP, VERSION, "user-" + i)]++;
        }
        double expected = users / 100.0;
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 99 degrees of freedom, critical value at p = 0.001.
        assertThat(chiSquare).isLessThan(148.23);
    }

    @Test
    void raisingThePercentageOnlyAddsUsers() {
        int users = 10_000;
        BitSet[] inGrayAt = new BitSet[101];
        for (int percent = 0; percent <= 100; percent++) {
            inGrayAt[percent] = new BitSet(users);
            for (int i = 0; i < users; i++) {
                if (GrayBucket.inGray(percent, APP, VERSION, "user-" + i)) {
                    inGrayAt[percent].set(i);
                }
            }
        }
        for (int p = 0; p < 100; p++) {
            for (int q = p + 1; q <= 100; q++) {
                BitSet leftBehind = (BitSet) inGrayAt[p].clone();
                leftBehind.andNot(inGrayAt[q]);
                assertThat(leftBehind.isEmpty()).as("users in gray at %d %% but not at %d %%", p, q).isTrue();
            }
        }
        assertThat(inGrayAt[0].cardinality()).isZero();
        assertThat(inGrayAt[100].cardinality()).isEqualTo(users);
        assertThat(inGrayAt[10].cardinality() / (double) users).isBetween(0.09, 0.11);
    }

    @Test
    void eachVersionDrawsAnIndependentSample() {
        int users = 10_000;
        int inBoth = 0;
        for (int i = 0; i < users; i++) {
            String user = "user-" + i;
            if (GrayBucket.inGray(50, APP, "1.0.0", user) && GrayBucket.inGray(50, APP, "2.0.0", user)) {
                inBoth++;
            }
        }
        // Independent halves overlap in about a quarter; identical bucketing would give a half.
        assertThat(inBoth / (double) users).isBetween(0.20, 0.30);
    }
}
