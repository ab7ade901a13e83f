package dev.miniplatform.infra.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.Delay;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lettuce set up to fail fast: while disconnected, commands are rejected at once instead of queued until the
 * command timeout ({@code spring.data.redis.timeout}), and Lettuce reconnects in the background. The same
 * options apply to the standalone and the cluster client ({@code spring.data.redis.cluster.nodes} switches).
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

    @Bean
    LettuceClientOptionsBuilderCustomizer failFastRedis() {
        return options -> options
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled());
    }

    /**
     * No Lettuce-internal latency histogram: Lettuce records every command into one (and runs LatencyUtils' pause
     * detector threads) whenever HdrHistogram and LatencyUtils happen to be on the class path, as they are in the
     * {@code -dev} jar the benchmark runs but not in the production jar. Redis command timings come from the
     * Micrometer observation ({@code lettuce} timers) in both.
     */
    @Bean
    ClientResourcesBuilderCustomizer noLettuceLatencyHistogram() {
        return resources -> resources.commandLatencyRecorder(CommandLatencyRecorder.disabled());
    }

    /**
     * A connection to a Redis that went away is tried again at least once a second, however long the outage: Lettuce's
     * default backoff doubles up to 30 s, so after an outage of ten seconds or more a node went on without Redis (rate
     * limits unmetered, caches bypassed) for up to half a minute after Redis was back (WalletSdkOutageIntegrationTest's
     * 429 storm found the limiter still failing open 8 s after the restart). A connect attempt a second per connection
     * to a dead Redis costs nothing.
     */
    @Bean
    ClientResourcesBuilderCustomizer promptRedisReconnect() {
        return resources -> resources.reconnectDelay(
                Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
    }

    /** String keys, raw byte values: cached answers are stored exactly as they are served. */
    @Bean
    public ReactiveRedisTemplate<String, byte[]> bytesRedisTemplate(ReactiveRedisConnectionFactory connections) {
        RedisSerializationContext<String, byte[]> context = RedisSerializationContext
                .<String, byte[]>newSerializationContext(RedisSerializer.string())
                .value(RedisSerializer.byteArray())
                .hashKey(RedisSerializer.string())
                .hashValue(RedisSerializer.byteArray())
                .build();
        return new ReactiveRedisTemplate<>(connections, context);
    }
}
