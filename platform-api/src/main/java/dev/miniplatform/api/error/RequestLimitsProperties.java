package dev.miniplatform.api.error;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.http.*}: how long a request line and how large its headers may be before the API refuses it
 * with a problem body (414, 431). Keep both below Netty's own limits ({@code server.netty.max-initial-line-length},
 * {@code server.max-http-request-header-size}): past those Netty answers by itself, without a body.
 *
 * @param maxUriLength  longest path plus query string, in bytes as sent
 * @param maxHeaderSize largest sum of header names and values
 */
@Validated
@ConfigurationProperties("platform.http")
record RequestLimitsProperties(
        @DefaultValue("8KB") DataSize maxUriLength,
        @DefaultValue("16KB") DataSize maxHeaderSize) {
}
