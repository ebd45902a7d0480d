package io.tickwire.net.pipeline;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;

/**
 * Answers a refused request: counts the refusal by reason (which logs it through the violation log), writes the
 * refusal's HTTP status with a short fixed text and {@code Connection: close}, then closes the connection. On the
 * channel's event loop. The text never echoes anything the client sent.
 */
final class Refusals
{
    private Refusals()
    {
    }

    static void refuse(
        final ChannelHandlerContext ctx, final NetCounters counters, final Refusal reason, final String text)
    {
        counters.onRefused(reason, ctx.channel().remoteAddress());
        final FullHttpResponse response = new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reason.httpStatus()),
            Unpooled.copiedBuffer(text, CharsetUtil.UTF_8));
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (reason.httpStatus() == HttpResponseStatus.UNAUTHORIZED.code())
        {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"tickwire\"");
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
