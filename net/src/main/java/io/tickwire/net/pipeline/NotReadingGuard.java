package io.tickwire.net.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Gives a connection that stops reading a deadline: once its outbound buffer has stayed above the high-water mark
 * (the channel not writable) for {@code timeoutNs} without a break, it fires {@link #NOT_READING} down the pipeline,
 * and the client handler closes it (4006). A connection that becomes writable again, even briefly, starts over. One
 * instance per channel, on the channel's event loop; the timer is armed only while the channel is not writable.
 */
public final class NotReadingGuard extends ChannelInboundHandlerAdapter
{
    /** The user event fired when the deadline passes. */
    public static final Object NOT_READING = new Object()
    {
        public String toString()
        {
            return "NOT_READING";
        }
    };

    private final long timeoutNs;
    private ScheduledFuture<?> deadline;

    /**
     * @param timeoutNs how long, in nanoseconds, a connection may stay not writable.
     */
    public NotReadingGuard(final long timeoutNs)
    {
        this.timeoutNs = timeoutNs;
    }

    public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
    {
        if (!ctx.channel().isWritable())
        {
            if (deadline == null)
            {
                deadline = ctx.executor().schedule(() -> onDeadline(ctx), timeoutNs, TimeUnit.NANOSECONDS);
            }
        }
        else
        {
            cancel();
        }
        super.channelWritabilityChanged(ctx);
    }

    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        cancel();
        super.channelInactive(ctx);
    }

    private void onDeadline(final ChannelHandlerContext ctx)
    {
        deadline = null;
        if (ctx.channel().isActive() && !ctx.channel().isWritable())
        {
            ctx.fireUserEventTriggered(NOT_READING);
        }
    }

    private void cancel()
    {
        if (deadline != null)
        {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
