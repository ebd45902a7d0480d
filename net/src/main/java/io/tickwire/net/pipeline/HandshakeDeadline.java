package io.tickwire.net.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not become a WebSocket within {@code timeoutMs} of its TCP accept: a slow or partial
 * request (slowloris), a TLS handshake that never ends, a plain HTTP keep-alive connection held open. The pipeline
 * removes this handler when the WebSocket handshake completes, which cancels the timer. One per channel, on its event
 * loop.
 */
public final class HandshakeDeadline extends ChannelInboundHandlerAdapter
{
    private final long timeoutMs;
    private final NetCounters counters;
    private ScheduledFuture<?> timer;

    public HandshakeDeadline(final long timeoutMs, final NetCounters counters)
    {
        this.timeoutMs = timeoutMs;
        this.counters = counters;
    }

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        timer = ctx.executor().schedule(() -> onDeadline(ctx), timeoutMs, TimeUnit.MILLISECONDS);
    }

    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        timer.cancel(false);
    }

    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        timer.cancel(false);
        super.channelInactive(ctx);
    }

    private void onDeadline(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isActive() && !ctx.isRemoved())
        {
            counters.onRefused(Refusal.HANDSHAKE_TIMEOUT, ctx.channel().remoteAddress());
            ctx.close();
        }
    }
}
