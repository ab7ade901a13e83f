package dev.miniplatform.api.support;

import io.netty.resolver.HostsFileEntriesResolver;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * Host names the webhook sender resolves the way a hostile ISV's DNS server would answer at delivery time: a public
 * looking name that the registration check cannot fault, answered with an address inside the platform's network
 * (DNS rebinding). Offline, and the same in every test context. Other names go to DNS as usual.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestHosts {

    /** Resolves to 127.0.0.1. */
    public static final String LOOPBACK = "loopback.rebinding.test";
    /** Resolves to 169.254.169.254, the cloud metadata service. */
    public static final String METADATA = "metadata.rebinding.test";
    /** Resolves to 10.0.0.1. */
    public static final String PRIVATE = "private.rebinding.test";

    private static final Map<String, InetAddress> NAMES = Map.of(
            LOOPBACK, address(LOOPBACK, 127, 0, 0, 1),
            METADATA, address(METADATA, 169, 254, 169, 254),
            PRIVATE, address(PRIVATE, 10, 0, 0, 1));

    @Bean
    HostsFileEntriesResolver webhookTestHosts() {
        return (name, types) -> NAMES.get(name.toLowerCase(Locale.ROOT));
    }

    private static InetAddress address(String name, int... bytes) {
        try {
            return InetAddress.getByAddress(name, new byte[]{(byte) bytes[0], (byte) bytes[1], (byte) bytes[2], (byte) bytes[3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
