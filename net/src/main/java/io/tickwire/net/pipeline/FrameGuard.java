package io.tickwire.net.pipeline;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.CloseCodes;
import io.tickwire.net.NetCounters;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The first handler every decoded WebSocket frame meets, before Netty answers pings or anything else sees it, and
 * the last one every outbound write passes; the whole binary frames the {@link BinaryFrameFastPath} takes without
 * decoding pass its budget and close check through {@link #admit}. It owns three rules of a connection:
 * <ul>
 *   <li><b>The frame budget.</b> Every frame a client sends, data or control (ping, pong, close, continuation,
 *   text, binary), spends one token of the connection's bucket: {@code maxFramesPerSecond} sustained, bursts of
 *   {@link #BURST_SECONDS} seconds' worth. An empty bucket closes the connection with 1008 and counts
 *   {@link ClientMessageError#RATE_LIMITED}, so a ping flood costs only the flooder.</li>
 *   <li><b>Protocol violations found by the frame decoder</b> (unmasked frame, reserved bits or opcodes, fragmented
 *   or oversized control frame, bad length, frame over the limit, bad close body): one close frame with the
 *   decoder's status (1002, 1007 or 1009), counted as {@link ClientMessageError#BAD_FRAME}. The decoder is
 *   configured not to close by itself.</li>
 *   <li><b>The closing handshake.</b> A client's close frame with a valid status code (1000-1003, 1007-1014,
 *   3000-4999) or none is echoed and the connection closed; an invalid code or a one-byte body closes with 1002,
 *   a reason that is not UTF-8 with 1007, both counted as {@link ClientMessageError#BAD_FRAME}.</li>
 * </ul>
 * <b>Exactly one close frame:</b> whoever closes (this guard, the client handler, a shard through the session), the
 * first close frame written passes here and every write after it (a second close, a pong) is released and failed,
 * every frame read after it is released unread, and {@link #CLOSE_FRAME_WRITTEN} tells the session, whose
 * pre-framed snapshots and control messages are written past this guard, to stop. One instance per channel, event
 * loop only.
 */
public final class FrameGuard extends ChannelDuplexHandler
{
    /**
     * Seconds of frames a connection may send at once. The budget is spent when frames are read, not when they
     * were sent: after the server was busy for a while a client's queued messages arrive together, and that burst
     * must not look like a flood. A sustained flood still runs out after this long.
     */
    public static final int BURST_SECONDS = 10;

    /**
     * The user event fired toward the handlers after this one when the connection's close frame is written, so the
     * session stops writing too (its pre-framed writes do not pass this guard).
     */
    public static final Signal CLOSE_FRAME_WRITTEN = new Signal("close frame written");

    /**
     * The user event fired toward the handlers after this one when this guard closes the connection for a violation
     * (a flood, a bad frame, a bad close), so the session keeps no seat for a resume, as for any other violation.
     */
    public static final Signal VIOLATION = new Signal("violation");

    /**
     * Frames taken from the bucket at once (as many as it has, up to this), then spent one per frame: the bucket is
     * asked once per this many frames rather than per frame. A frame is admitted only with a token the bucket gave;
     * tokens taken early leave room in a full bucket, so a client may get at most this many frames more than with
     * one token taken per frame.
     */
    static final int FRAMES_PER_BUDGET_TAKE = 16;

    private static final int NO_STATUS = -1;

    private final NetCounters counters;
    private final Bucket frameBudget;
    private boolean closeWritten;
    private int framesInHand;

    /**
     * @param maxFramesPerSecond frames the connection may send per second, sustained; bursts may reach
     *                           {@link #BURST_SECONDS} seconds' worth.
     */
    public FrameGuard(final NetCounters counters, final int maxFramesPerSecond)
    {
        this.counters = counters;
        this.frameBudget = Bucket.builder()
            .addLimit(limit -> limit.capacity((long)maxFramesPerSecond * BURST_SECONDS)
                .refillGreedy(maxFramesPerSecond, Duration.ofSeconds(1)))
            .withSynchronizationStrategy(SynchronizationStrategy.NONE)
            .build();
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof WebSocketFrame))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!admit(ctx))
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof CloseWebSocketFrame)
        {
            onClientClose(ctx, (CloseWebSocketFrame)msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Charges one frame read from the client to the budget, whether it is passed through this guard or taken by the
     * {@link BinaryFrameFastPath}. Event loop.
     *
     * @param ctx this guard's context.
     * @return whether the frame may be used: false after the close frame was written, or when the budget is spent
     * (the connection is then closed with 1008).
     */
    boolean admit(final ChannelHandlerContext ctx)
    {
        if (closeWritten)
        {
            return false;
        }
        counters.framesRead.increment();
        if (framesInHand == 0)
        {
            framesInHand = (int)frameBudget.tryConsumeAsMuchAsPossible(FRAMES_PER_BUDGET_TAKE);
            if (framesInHand == 0)
            {
                violation(ctx, ClientMessageError.RATE_LIMITED, CloseCodes.POLICY_VIOLATION, "rate limit");
                return false;
            }
        }
        framesInHand--;
        return true;
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) throws Exception
    {
        if (!(cause instanceof CorruptedWebSocketFrameException))
        {
            super.exceptionCaught(ctx, cause);
            return;
        }
        final WebSocketCloseStatus status = ((CorruptedWebSocketFrameException)cause).closeStatus();
        violation(ctx, ClientMessageError.BAD_FRAME, status.code(), status.reasonText());
    }

    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        if (closeWritten)
        {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        if (msg instanceof CloseWebSocketFrame)
        {
            closeWritten = true;
            ctx.fireUserEventTriggered(CLOSE_FRAME_WRITTEN);
        }
        ctx.write(msg, promise);
    }

    /**
     * @return whether {@code code} may appear in a close frame (RFC 6455 section 7.4 and the IANA registry): the
     * defined codes 1000-1003 and 1007-1014, and 3000-4999 for libraries and applications. 1004-1006 and 1015 are
     * reserved and never sent; 1016-2999 are unassigned.
     */
    private static boolean isValidCloseCode(final int code)
    {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void onClientClose(final ChannelHandlerContext ctx, final CloseWebSocketFrame close)
    {
        final ByteBuf body = close.content();
        final int statusCode = body.readableBytes() >= 2 ? body.getUnsignedShort(body.readerIndex()) : NO_STATUS;
        if (body.readableBytes() == 1 || (statusCode != NO_STATUS && !isValidCloseCode(statusCode)))
        {
            close.release();
            violation(ctx, ClientMessageError.BAD_FRAME, CloseCodes.PROTOCOL_ERROR, "invalid close code");
            return;
        }
        if (body.readableBytes() > 2 &&
            !ByteBufUtil.isText(body, body.readerIndex() + 2, body.readableBytes() - 2, StandardCharsets.UTF_8))
        {
            close.release();
            violation(ctx, ClientMessageError.BAD_FRAME, WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(),
                "close reason not UTF-8");
            return;
        }
        closeWith(ctx, statusCode == NO_STATUS ?
            new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER) : new CloseWebSocketFrame(statusCode, ""));
        close.release();
    }

    private void violation(
        final ChannelHandlerContext ctx, final ClientMessageError error, final int closeCode, final String reason)
    {
        counters.onInvalidMessage(error, ctx.channel().remoteAddress());
        ctx.fireUserEventTriggered(VIOLATION);
        closeWith(ctx, new CloseWebSocketFrame(closeCode, reason));
    }

    /**
     * Writes {@code close} from the tail of the pipeline, through Netty's protocol handler (whose force-close timer
     * then bounds how long the peer may keep the connection) and this guard, so that it counts as the connection's
     * one close frame; then ends the connection.
     */
    private static void closeWith(final ChannelHandlerContext ctx, final CloseWebSocketFrame close)
    {
        ctx.channel().writeAndFlush(close).addListener(CloseAfterCloseFrame.INSTANCE);
    }

    /**
     * The type of {@link #CLOSE_FRAME_WRITTEN} and {@link #VIOLATION}: compared by identity.
     */
    public static final class Signal
    {
        private final String name;

        private Signal(final String name)
        {
            this.name = name;
        }

        public String toString()
        {
            return name;
        }
    }
}
