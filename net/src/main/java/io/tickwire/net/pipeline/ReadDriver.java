package io.tickwire.net.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Decides when a connection reads: the channel's auto-read is off, and this handler asks for the next read after
 * each read completes, unless a reason to pause holds. It is the first handler (after TLS), so that request walks
 * one step to the head of the pipeline. With auto-read on, Netty's head asks for it through the channel, which
 * walks every handler from the tail: at the reference workload that walk was 5% of the event loop's CPU, in cache
 * misses over a thousand pipelines.
 * <p>
 * Reasons to pause are bits, each set and cleared by its own owner, and reading resumes when none is left: {@link
 * #BACK_PRESSURE} while the outbound buffer is over its high-water mark (set here, from the channel's writability),
 * {@link #AWAITING_ANSWER} while a handler holds a request until an answer from elsewhere (Redis, a shard) comes back,
 * {@link #READ_BY_PASS} while the loop's {@link io.tickwire.io.SocketReadPass} reads the socket itself. While paused, a
 * decoder that holds part of a message may still ask for one more read to finish it, as Netty's decoders do with
 * auto-read off. One instance per channel, on its event loop.
 */
public final class ReadDriver extends ChannelInboundHandlerAdapter
{
    /** The name of this handler in the pipeline. */
    public static final String NAME = "read-driver";
    /** The outbound buffer is over its high-water mark: a client that does not read is not read from. */
    public static final int BACK_PRESSURE = 1;
    /** A handler holds a request until an answer comes back, and the next request must wait for it. */
    public static final int AWAITING_ANSWER = 1 << 1;
    /**
     * The loop's {@link io.tickwire.io.SocketReadPass} reads the socket: Netty is not asked to, and the pass reads only
     * while no other reason holds.
     */
    public static final int READ_BY_PASS = 1 << 2;

    private int pauses;

    /**
     * Pauses {@code channel}'s reading for {@code reason}, on its event loop.
     */
    public static void pause(final Channel channel, final int reason)
    {
        driverOf(channel).pauses |= reason;
    }

    /**
     * Clears {@code reason}, on {@code channel}'s event loop, and asks for a read when no other reason holds.
     */
    public static void resume(final Channel channel, final int reason)
    {
        final ChannelHandlerContext ctx = channel.pipeline().context(ReadDriver.class);
        ((ReadDriver)ctx.handler()).resume(ctx, reason);
    }

    /**
     * @return whether Netty is asked to read {@code channel}: no reason to pause holds (a connection the
     * {@link io.tickwire.io.SocketReadPass} reads holds {@link #READ_BY_PASS}).
     */
    public static boolean isReading(final Channel channel)
    {
        return driverOf(channel).pauses == 0;
    }

    /**
     * @return whether the only reason that holds is {@link #READ_BY_PASS}: the pass may read.
     */
    boolean isReadByPassOnly()
    {
        return pauses == READ_BY_PASS;
    }

    static ReadDriver driverOf(final Channel channel)
    {
        return channel.pipeline().get(ReadDriver.class);
    }

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        ctx.channel().config().setAutoRead(false);
        if (ctx.channel().isActive())
        {
            readUnlessPaused(ctx);
        }
    }

    public void channelActive(final ChannelHandlerContext ctx)
    {
        ctx.fireChannelActive();
        readUnlessPaused(ctx);
    }

    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        ctx.fireChannelReadComplete();
        readUnlessPaused(ctx);
    }

    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (ctx.channel().isWritable())
        {
            resume(ctx, BACK_PRESSURE);
        }
        else
        {
            pauses |= BACK_PRESSURE;
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void resume(final ChannelHandlerContext ctx, final int reason)
    {
        final int before = pauses;
        pauses &= ~reason;
        if (before != 0 && pauses == 0)
        {
            ctx.read();
        }
    }

    private void readUnlessPaused(final ChannelHandlerContext ctx)
    {
        if (pauses == 0)
        {
            ctx.read();
        }
    }
}
