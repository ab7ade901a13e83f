package dev.miniplatform.api.error;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Spring's Reactor Netty adapter answers a request whose URI Java cannot parse ({@code /a%zz}, a raw space or
 * {@code |}) with an empty 400 before any filter runs. This Netty handler sees the request first and points such a
 * request at {@link #MALFORMED_PATH}, which {@link RequestShapeFilter} refuses with a problem body and a request id.
 */
@Component
class MalformedUriGuard implements NettyServerCustomizer {

    static final String MALFORMED_PATH = "/malformed-request-uri";

    private static final ChannelHandler HANDLER = new Handler();

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, "platform.malformedUriGuard", HANDLER);
            }
        });
    }

    static boolean parsable(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    @ChannelHandler.Sharable
    private static final class Handler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof HttpRequest request && !parsable(request.uri())) {
                request.setUri(MALFORMED_PATH);
            }
            context.fireChannelRead(message);
        }
    }
}
