package io.tickwire.net.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;

/**
 * Right after the HTTP decoder: a request the decoder could not take (a request line over the codec's limit, headers
 * over theirs, anything not HTTP/1.1) is answered 414, 431 or 400 and the connection closed, instead of travelling on
 * as a bad request. Sharable; on the channel's event loop; removed once the connection is a WebSocket.
 */
@ChannelHandler.Sharable
public final class HttpRequestGuard extends ChannelInboundHandlerAdapter
{
    private final NetCounters counters;

    public HttpRequestGuard(final NetCounters counters)
    {
        this.counters = counters;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof HttpObject && ((HttpObject)msg).decoderResult().isFailure())
        {
            final DecoderResult result = ((HttpObject)msg).decoderResult();
            ReferenceCountUtil.release(msg);
            if (!ctx.channel().isActive())
            {
                return;
            }
            if (result.cause() instanceof TooLongHttpHeaderException)
            {
                Refusals.refuse(ctx, counters, Refusal.HTTP_HEADERS_TOO_LARGE, "request headers too large\n");
            }
            else if (result.cause() instanceof TooLongHttpLineException)
            {
                Refusals.refuse(ctx, counters, Refusal.HTTP_LINE_TOO_LONG, "request line too long\n");
            }
            else
            {
                Refusals.refuse(ctx, counters, Refusal.HTTP_BAD_REQUEST, "bad request\n");
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
