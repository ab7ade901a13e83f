package dev.miniplatform.infra.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

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
