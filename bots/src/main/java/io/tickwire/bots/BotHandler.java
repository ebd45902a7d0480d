package io.tickwire.bots;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.handler.ssl.SslHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The edge between one bot and its channel, and the last handler of the channel's pipeline: turns channel events
 * into calls on the bot's {@link BotSession} (handshake done or timed out, the channel gone inactive, an exception),
 * puts a {@link ServerFrameReader} in place of Netty's frame decoder when the handshake completes (from then on the
 * server's frames go from that reader to the session, past the handlers in between), and writes the frames the
 * session sends: its binary frames already framed and masked ({@link ClientFrames}) and gathered in the loop's
 * {@link SendBatch} until it flushes, then written straight to the socket over epoll without TLS, else from the
 * reader's context, so they pass no handler but TLS; close frames from this handler's context, through Netty's frame
 * encoder, after the bot's frames queued before them. It keeps no state but the contexts of the channel it is in.
 * <p>
 * Sharable only in the sense that after a reconnect the handler joins the new connection's pipeline; it is never in
 * two at once, since the session reconnects only after the old channel became inactive, and the session ignores
 * events of a channel it has left behind.
 * <p>
 * Owned by the bot's event loop: every method runs on that loop.
 */
@ChannelHandler.Sharable
final class BotHandler extends ChannelInboundHandlerAdapter implements SendBatch.Holder
{
    private final BotSession session;
    private final SendBatch batch;
    private ChannelHandlerContext ctx;
    private ChannelHandlerContext frameCtx;
    private FileDescriptor socket;
    /**
     * The channel's outbound buffer, kept with {@link #socket}: the bot asks it whether the channel is writable and
     * whether Netty holds bytes before each write, and reaching it through the channel cost a chain of cache misses
     * per bot-tick (PERFORMANCE.md, "The bot swarm's own cost").
     */
    private ChannelOutboundBuffer outbound;

    /**
     * @param session the bot whose channel events this handler passes on.
     * @param batch   the event loop's batch that the bot's frames are gathered in until a flush.
     */
    BotHandler(final BotSession session, final SendBatch batch)
    {
        this.session = session;
        this.batch = batch;
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
        this.socket = null;
        this.outbound = null;
    }

    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
        {
            final ServerFrameReader reader = new ServerFrameReader(session, session.payloadView());
            ctx.pipeline().replace(ServerFrameReader.NETTY_DECODER_NAME, ServerFrameReader.NETTY_DECODER_NAME, reader);
            frameCtx = reader.context();
            socket = ctx.channel() instanceof EpollSocketChannel && ctx.pipeline().get(SslHandler.class) == null ?
                ((EpollSocketChannel)ctx.channel()).fd() : null;
            if (socket != null)
            {
                outbound = ctx.channel().unsafe().outboundBuffer();
                if (session.readPass().attach(new BotSocketReader((Socket)socket, reader, ctx.channel())))
                {
                    ctx.channel().config().setAutoRead(false);
                }
            }
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
        return socket != null ? socket.isOpen() && outbound.isWritable() : ctx.channel().isWritable();
    }

    /**
     * Sends {@code length} bytes of {@code buffer} from index 0 as one binary frame, with any the bot queued before.
     */
    void send(final DirectBuffer buffer, final int length)
    {
        write(buffer, length);
        flush();
    }

    /**
     * Queues {@code length} bytes of {@code buffer} from index 0 as one binary frame, for the next {@link #flush()}:
     * a bot that sends several messages at once pays for one write to its socket.
     */
    void write(final DirectBuffer buffer, final int length)
    {
        batch.append(this, buffer, length);
    }

    /**
     * Writes what {@link #write} queued to the socket: over epoll without TLS, and with nothing of Netty's waiting to
     * be written, straight to the socket in one system call; otherwise, and for what the socket did not take, through
     * the channel as one buffer.
     */
    public void flush()
    {
        final int length = batch.lengthOf(this);
        if (length == 0)
        {
            return;
        }
        try
        {
            final int written = writeToSocket(batch.frames(), length);
            if (written < length)
            {
                final ByteBuffer rest = batch.frames().byteBuffer().duplicate();
                rest.limit(length).position(written);
                frameCtx.writeAndFlush(frameCtx.alloc().directBuffer(length - written).writeBytes(rest),
                    frameCtx.voidPromise());
            }
        }
        finally
        {
            batch.clear();
        }
    }

    /**
     * @return the bytes the socket took straight away: 0 when the channel must write them, because it is not epoll,
     * runs TLS, is closed, holds bytes not yet written, or the write failed (the channel's own write then meets the
     * error and closes it). The socket is checked open on this thread, the one that closes it, so the write never
     * reaches a descriptor number the kernel has given to another connection.
     */
    private int writeToSocket(final UnsafeBuffer frames, final int length)
    {
        if (socket == null || !socket.isOpen() || !outbound.isEmpty())
        {
            return 0;
        }
        try
        {
            return socket.writeAddress(frames.addressOffset(), 0, length);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /**
     * Sends a close frame and leaves the connection open for the server to close.
     */
    void sendClose(final int closeCode)
    {
        flush();
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, ""), ctx.voidPromise());
    }

    /**
     * Sends a close frame and closes the connection once it is written, without waiting for the server.
     */
    void sendCloseAndClose(final int closeCode)
    {
        flush();
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, "")).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Closes the connection without a close frame.
     */
    void close()
    {
        flush();
        ctx.close();
    }
}
