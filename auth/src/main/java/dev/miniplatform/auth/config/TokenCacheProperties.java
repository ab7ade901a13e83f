package dev.miniplatform.auth.config;

import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.token-cache.*}: the bounded cache of access tokens whose signature and claims were verified.
 *
 * @param maxSize how many verified tokens to keep (0 turns the cache off)
 */
@Validated
@ConfigurationProperties("platform.token-cache")
public record TokenCacheProperties(@PositiveOrZero @DefaultValue("10000") int maxSize) {
}
