package dev.miniplatform.infra.redis;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * A token bucket kept in Redis and taken from in one atomic Lua script (read, refill, take, write, expire), so
 * concurrent requests on any number of nodes cannot overspend it. One key per bucket: cluster-safe. The script
 * reads the clock of Redis itself, so nodes with skewed clocks agree.
 */
public final class TokenBucket {

    /** What the bucket said: allowed or not, tokens left, and when to retry if refused. */
    public record Decision(boolean allowed, long remaining, long retryAfterMillis, long capacity,
                           long refillPerSecond) {

        /** Seconds until the bucket is full again (the {@code RateLimit-Reset} header). */
        public long resetSeconds() {
            return (long) Math.ceil((capacity - remaining) / (double) refillPerSecond);
        }
    }

    private static final RedisScript<String> TAKE = RedisScript.of("""
            local capacity = tonumber(ARGV[1])
            local rate = tonumber(ARGV[2])
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(state[1]) or capacity
            local ts = tonumber(state[2]) or now
            tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate / 1000)
            local allowed = 0
            local retry = 0
            if tokens >= 1 then
                tokens = tokens - 1
                allowed = 1
            else
                retry = math.ceil((1 - tokens) * 1000 / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
            return allowed .. ':' .. math.floor(tokens) .. ':' .. retry
            """, String.class);

    private final ReactiveStringRedisTemplate redis;

    public TokenBucket(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    public Mono<Decision> take(String key, long capacity, long refillPerSecond) {
        return redis.execute(TAKE, List.of(key), List.of(Long.toString(capacity), Long.toString(refillPerSecond)))
                .next()
                .map(answer -> decision(answer, capacity, refillPerSecond));
    }

    private static Decision decision(String answer, long capacity, long refillPerSecond) {
        String[] parts = answer.split(":");
        return new Decision(parts[0].equals("1"), Long.parseLong(parts[1]), Long.parseLong(parts[2]), capacity,
                refillPerSecond);
    }
}
