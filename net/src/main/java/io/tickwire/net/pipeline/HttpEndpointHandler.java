package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.tickwire.net.NetCounters;

/**
 * Plain HTTP requests that are not a WebSocket upgrade: {@code GET /health} answers 200; anything else gets 404
 * and the connection is closed. Sharable; runs on the channel's event loop.
 */
@ChannelHandler.Sharable
public final class HttpEndpointHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    public static final String HEALTH_PATH = "/health";

    private final NetCounters counters;

    public HttpEndpointHandler(final NetCounters counters)
    {
        this.counters = counters;
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        if (request.method().equals(HttpMethod.GET) && HEALTH_PATH.equals(pathOf(request.uri())))
        {
            counters.healthRequests.incrementAndGet();
            final FullHttpResponse response = respond(request, HttpResponseStatus.OK, "ok\n");
            final boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive)
            {
                ctx.writeAndFlush(response, ctx.voidPromise());
            }
            else
            {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }

        counters.httpNotFound.incrementAndGet();
        final FullHttpResponse response = respond(request, HttpResponseStatus.NOT_FOUND, "not found\n");
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Builds a small plain-text response; shared with the upgrade guard.
     */
    static FullHttpResponse respond(final FullHttpRequest request, final HttpResponseStatus status, final String text)
    {
        final ByteBuf body = Unpooled.copiedBuffer(text, CharsetUtil.UTF_8);
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    static String pathOf(final String uri)
    {
        final int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
