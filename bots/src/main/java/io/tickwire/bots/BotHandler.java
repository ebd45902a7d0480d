package io.tickwire.bots;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The edge between one bot and its channel, and the last handler of the channel's pipeline: turns channel events
 * into calls on the bot's {@link BotSession} (handshake done or timed out, the channel gone inactive, an exception),
 * puts a {@link ServerFrameReader} in place of Netty's frame decoder when the handshake completes (from then on the
 * server's frames go from that reader to the session, past the handlers in between), and writes the frames the
 * session sends: its binary frames already framed and masked ({@link ClientFrames}), one pooled buffer each, from the
 * reader's context, so they pass no handler but TLS; close frames from this handler's context, through Netty's frame
 * encoder. It keeps no state but the contexts of the channel it is in.
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
    private ChannelHandlerContext frameCtx;

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
        this.frameCtx = ctx;
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
        {
            final ServerFrameReader reader = new ServerFrameReader(session, session.payloadView());
            ctx.pipeline().replace(ServerFrameReader.NETTY_DECODER_NAME, ServerFrameReader.NETTY_DECODER_NAME, reader);
            frameCtx = reader.context();
            session.onHandshakeComplete();
        }
        else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT)
        {
            session.onHandshakeTimeout();
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * Once the handshake completed, the {@link ServerFrameReader} ahead of this handler takes every byte the server
     * sends; whatever still reaches here (nothing a server can cause) is unexpected.
     */
    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        try
        {
            session.onUnexpectedFrame(message.getClass().getSimpleName());
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
        frameCtx.flush();
    }

    /**
     * Queues {@code length} bytes of {@code buffer} from index 0 as one binary frame, for the next {@link #flush()}:
     * a bot that sends several messages at once pays for one write to its socket.
     *
     * @param buffer a buffer backed by an array, such as the group's scratch buffers.
     */
    void write(final UnsafeBuffer buffer, final int length)
    {
        frameCtx.write(ClientFrames.maskedBinary(frameCtx.alloc(), buffer, length), frameCtx.voidPromise());
    }

    /**
     * Writes what {@link #write} queued to the socket.
     */
    void flush()
    {
        frameCtx.flush();
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
