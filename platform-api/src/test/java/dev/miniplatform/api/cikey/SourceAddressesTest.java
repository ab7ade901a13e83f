package dev.miniplatform.api.cikey;

import dev.miniplatform.model.validation.FieldError;
import dev.miniplatform.model.validation.InvalidInputException;
import dev.miniplatform.model.validation.Validation;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceAddressesTest {

    @Test
    void blocksAreKeptInNetworkFormAndABareAddressIsABlockOfOne() {
        Validation validation = new Validation();
        assertThat(SourceAddresses.parse(List.of(" 10.0.0.0/8 ", "203.0.113.7", "2001:DB8:0:0::/32", "::1", "10.0.0.0/8"),
                "allowedSources", validation))
                .containsExactly("10.0.0.0/8", "203.0.113.7/32", "2001:db8::/32", "::1/128");
        assertThat(validation.hasErrors()).isFalse();
    }

    @Test
    void hostNamesHostBitsZonesAndBadPrefixesAreEachNamed() {
        Validation validation = new Validation();
        List<String> entries = new ArrayList<>(List.of("ci.example.com", "10.1.2.3/8", "fe80::1%eth0", "10.0.0.0/33",
                "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/0x8", "", "1.2.3.4.5"));
        entries.add(null);
        SourceAddresses.parse(entries, "allowedSources", validation);
        assertThatThrownBy(validation::throwIfInvalid).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.errors()).extracting(FieldError::field).containsExactly(
                    IntStream.range(0, entries.size()).mapToObj(i -> "allowedSources[" + i + "]").toArray(String[]::new));
            assertThat(e.errors().get(1).message()).contains("did you mean 10.0.0.0/8");
        });
    }

    @Test
    void atMostTwentyBlocks() {
        Validation validation = new Validation();
        SourceAddresses.parse(Collections.nCopies(21, "10.0.0.0/8"), "allowedSources", validation);
        assertThat(validation.hasErrors()).isTrue();
    }

    @Test
    void anAddressIsAllowedOnlyInsideABlockOfItsOwnFamily() throws Exception {
        List<String> blocks = List.of("10.0.0.0/8", "203.0.113.0/25", "2001:db8::/32");
        assertThat(SourceAddresses.allows(blocks, InetAddress.getByName("10.200.1.1"))).isTrue();
        assertThat(SourceAddresses.allows(blocks, InetAddress.getByName("203.0.113.127"))).isTrue();
        assertThat(SourceAddresses.allows(blocks, InetAddress.getByName("203.0.113.128"))).isFalse();
        assertThat(SourceAddresses.allows(blocks, InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(SourceAddresses.allows(blocks, InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(SourceAddresses.allows(blocks, InetAddress.getByName("2001:db9::1"))).isFalse();
        assertThat(SourceAddresses.allows(blocks, null)).isFalse();
        assertThat(SourceAddresses.allows(List.of(), null)).isTrue();
        assertThat(SourceAddresses.allows(List.of("0.0.0.0/0"), InetAddress.getByName("198.51.100.1"))).isTrue();
        assertThat(SourceAddresses.allows(List.of("0.0.0.0/0"), InetAddress.getByName("::1"))).isFalse();
    }
}
