package io.tickwire.bots;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The edge between one bot and its channel, and the last handler of the channel's pipeline: turns channel events
 * into calls on the bot's {@link BotSession} (handshake done or timed out, a binary message, a close frame, any other
 * frame, the channel gone inactive, an exception), releases every inbound frame, and writes the frames the session
 * sends: its binary frames already framed and masked ({@link ClientFrames}), one pooled buffer each, past Netty's
 * frame encoder, which passes buffers through; close frames through that encoder. It keeps no state but the context
 * of the channel it is in.
 * <p>
 * Sharable only in the sense that after a reconnect the handler joins the new connection's pipeline; it is never in
 * two at once, since the session reconnects only after the old channel became inactive, and the session ignores
 * events of a channel it has left behind.
 * <p>
 * Owned by the bot's event loop: every method runs on that loop.
 */
@ChannelHandler.Sharable
final class BotHandler extends ChannelInboundHandlerAdapter
{
    private final BotSession session;
    private ChannelHandlerContext ctx;

    /**
     * @param session the bot whose channel events this handler passes on.
     */
    BotHandler(final BotSession session)
    {
        this.session = session;
    }

    /**
     * @return the index in the swarm of the bot this handler serves.
     */
    int botIndex()
    {
        return session.index();
    }

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
        {
            session.onHandshakeComplete();
        }
        else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT)
        {
            session.onHandshakeTimeout();
        }
        ctx.fireUserEventTriggered(event);
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        try
        {
            if (message instanceof BinaryWebSocketFrame)
            {
                session.onBinaryMessage(((BinaryWebSocketFrame)message).content());
            }
            else if (message instanceof CloseWebSocketFrame)
            {
                session.onCloseFrame(((CloseWebSocketFrame)message).statusCode());
            }
            else
            {
                session.onUnexpectedFrame(message);
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        session.onChannelInactive();
        ctx.fireChannelInactive();
    }

    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        session.onException(cause);
        ctx.close();
    }

    /**
     * @return whether the channel takes more writes now without queueing past its high water mark.
     */
    boolean isWritable()
    {
        return ctx.channel().isWritable();
    }

    /**
     * Sends {@code length} bytes of {@code buffer} from index 0 as one binary frame, and flushes.
     *
     * @param buffer a buffer backed by an array, such as the group's scratch buffers.
     */
    void send(final UnsafeBuffer buffer, final int length)
    {
        write(buffer, length);
        ctx.flush();
    }

    /**
     * Queues {@code length} bytes of {@code buffer} from index 0 as one binary frame, for the next {@link #flush()}:
     * a bot that sends several messages at once pays for one write to its socket.
     *
     * @param buffer a buffer backed by an array, such as the group's scratch buffers.
     */
    void write(final UnsafeBuffer buffer, final int length)
    {
        ctx.write(ClientFrames.maskedBinary(ctx.alloc(), buffer, length), ctx.voidPromise());
    }

    /**
     * Writes what {@link #write} queued to the socket.
     */
    void flush()
    {
        ctx.flush();
    }

    /**
     * Sends a close frame and leaves the connection open for the server to close.
     */
    void sendClose(final int closeCode)
    {
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, ""), ctx.voidPromise());
    }

    /**
     * Sends a close frame and closes the connection once it is written, without waiting for the server.
     */
    void sendCloseAndClose(final int closeCode)
    {
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, "")).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Closes the connection without a close frame.
     */
    void close()
    {
        ctx.close();
    }
}
