package dev.miniplatform.infra.redis;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;

/**
 * Token buckets kept in Redis and taken from in one atomic Lua script (read, refill, take, write, expire), so
 * concurrent requests on any number of nodes cannot overspend them. A request may have to pass several buckets at
 * once (e.g. an ISV's budget at one merchant and its budget over all merchants): one script call takes a token
 * from every one of them or from none, so a refusal spends nothing. Keys taken together must share a hash tag
 * (one cluster slot). The script reads the clock of Redis itself, so nodes with skewed clocks agree.
 */
public final class TokenBucket {

    /** One bucket: its key, its burst and its sustained rate. */
    public record Limit(String key, long capacity, long refillPerSecond) {
    }

    /**
     * What the buckets said: allowed or not, and, for the headers, the bucket that decided: the one that refused
     * for longest, else the one with the fewest tokens left.
     */
    public record Decision(boolean allowed, long remaining, long retryAfterMillis, long capacity,
                           long refillPerSecond) {

        /** Seconds until the bucket is full again (the {@code RateLimit-Reset} header). */
        public long resetSeconds() {
            return (long) Math.ceil((capacity - remaining) / (double) refillPerSecond);
        }
    }

    private static final RedisScript<String> TAKE = RedisScript.of("""
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local tokens = {}
            local allowed = 1
            local retry = 0
            local decisive = 1
            for i = 1, #KEYS do
                local capacity = tonumber(ARGV[2 * i - 1])
                local rate = tonumber(ARGV[2 * i])
                local state = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
                local level = tonumber(state[1]) or capacity
                local ts = tonumber(state[2]) or now
                level = math.min(capacity, level + math.max(0, now - ts) * rate / 1000)
                tokens[i] = level
                if level < 1 then
                    local wait = math.ceil((1 - level) * 1000 / rate)
                    if allowed == 1 or wait > retry then
                        decisive = i
                    end
                    allowed = 0
                    retry = math.max(retry, wait)
                end
            end
            for i = 1, #KEYS do
                if allowed == 1 then
                    tokens[i] = tokens[i] - 1
                    if tokens[i] < tokens[decisive] then
                        decisive = i
                    end
                end
                local capacity = tonumber(ARGV[2 * i - 1])
                local rate = tonumber(ARGV[2 * i])
                redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i]), 'ts', tostring(now))
                redis.call('PEXPIRE', KEYS[i], math.ceil(capacity * 1000 / rate) + 1000)
            end
            return allowed .. ':' .. math.floor(tokens[decisive]) .. ':' .. retry .. ':' .. decisive
            """, String.class);

    private final ReactiveStringRedisTemplate redis;

    public TokenBucket(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Takes one token from each bucket, or from none when one of them is empty. */
    public Mono<Decision> take(List<Limit> limits) {
        List<String> keys = new ArrayList<>(limits.size());
        List<String> arguments = new ArrayList<>(limits.size() * 2);
        for (Limit limit : limits) {
            keys.add(limit.key());
            arguments.add(Long.toString(limit.capacity()));
            arguments.add(Long.toString(limit.refillPerSecond()));
        }
        return redis.execute(TAKE, keys, arguments)
                .next()
                .map(answer -> decision(answer, limits));
    }

    private static Decision decision(String answer, List<Limit> limits) {
        String[] parts = answer.split(":");
        Limit decisive = limits.get(Integer.parseInt(parts[3]) - 1);
        return new Decision(parts[0].equals("1"), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                decisive.capacity(), decisive.refillPerSecond());
    }
}
