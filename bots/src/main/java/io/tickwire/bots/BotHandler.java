package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.handler.ssl.SslHandler;
import io.tickwire.io.SendRing;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;

/**
 * The edge between one bot and its channel, and the last handler of the channel's pipeline: turns channel events
 * into calls on the bot's {@link BotSession} (handshake done or timed out, the channel gone inactive, an exception),
 * puts a {@link ServerFrameReader} in place of Netty's frame decoder when the handshake completes (from then on the
 * server's frames go from that reader to the session, past the handlers in between), and writes the frames the
 * session sends: its binary frames already framed and masked ({@link ClientFrames}) and gathered in the loop's
 * {@link SendBatch} until it flushes, then written straight to the socket over epoll without TLS (within a cycle of a
 * loop that batches its writes, as a copy queued in the loop's {@link SendRing}), else from the reader's context, so
 * they pass no handler but TLS; close frames from this handler's context, through Netty's frame encoder, after the
 * bot's frames queued before them. It keeps no state but the contexts of the channel it is in and the send the ring
 * holds. While the ring holds a send, nothing else is written or closed on the channel before the ring has submitted
 * it: a write, close frame or close of the bot's, or an exception's close, submits the ring first, and so does a close
 * from the pipeline's tail ({@code channel.close()}), which passes through here.
 * <p>
 * Sharable only in the sense that after a reconnect the handler joins the new connection's pipeline; it is never in
 * two at once, since the session reconnects only after the old channel became inactive, and the session ignores
 * events of a channel it has left behind.
 * <p>
 * Owned by the bot's event loop: every method runs on that loop.
 */
@ChannelHandler.Sharable
final class BotHandler extends ChannelDuplexHandler implements SendBatch.Holder, SendRing.Sender
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
    /** The copy of the bot's frames the loop's ring holds, from its offer to its result; 0 when it holds none. */
    private long ringCopy;
    private int ringLength;

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
        this.ringCopy = 0;
        this.ringLength = 0;
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
        submitRingSend();
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
     * be written, straight to the socket, in one system call or, within a cycle of a loop that batches its writes, in
     * the ring's next submission; otherwise, and for what the socket did not take, through the channel as one buffer.
     * A send the ring still holds is submitted first.
     */
    public void flush()
    {
        submitRingSend();
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
                writeThroughChannel(batch.frames(), written, length - written);
            }
        }
        finally
        {
            batch.clear();
        }
    }

    /**
     * @return the bytes the socket took straight away, or that the ring took to send: 0 when the channel must write
     * them, because it is not epoll, runs TLS, is closed, holds bytes not yet written, or the write failed (the
     * channel's own write then meets the error and closes it). The socket is checked open on this thread, the one that
     * closes it, so the write never reaches a descriptor number the kernel has given to another connection; and a
     * close submits the ring's send first ({@link #close(ChannelHandlerContext, ChannelPromise)}).
     */
    private int writeToSocket(final UnsafeBuffer frames, final int length)
    {
        if (socket == null || !socket.isOpen() || !outbound.isEmpty())
        {
            return 0;
        }
        final SendRing ring = session.sendRing();
        if (ring != null && ring.isBatching())
        {
            final long copy = ring.offerCopy(this, socket.intValue(), frames.addressOffset(), length);
            if (copy != 0)
            {
                ringCopy = copy;
                ringLength = length;
                return length;
            }
        }
        try
        {
            final int written = socket.writeAddress(frames.addressOffset(), 0, length);
            if (written < length)
            {
                session.onWriteFinishedByChannel();
            }
            return written;
        }
        catch (final IOException ex)
        {
            session.onWriteFinishedByChannel();
            return 0;
        }
    }

    /**
     * The result of the send the ring held: what the socket did not take goes through the channel, as the rest of a
     * direct write does; a failed send ({@code -EAGAIN}, a reset) took nothing, and the channel's write then meets the
     * same error and closes it as Netty reports it. Should the rest not be written (out of direct memory), the
     * connection closes: part of the frames may be on the wire.
     */
    public void onSent(final int result)
    {
        final long copy = ringCopy;
        final int length = ringLength;
        if (copy == 0)
        {
            return;
        }
        ringCopy = 0;
        ringLength = 0;
        final int taken = Math.max(result, 0);
        if (taken < length)
        {
            session.onWriteFinishedByChannel();
            writeThroughChannel(new UnsafeBuffer(copy, length), taken, length - taken);
        }
    }

    /**
     * The ring retired with the bot's send unanswered: the connection's bytes can no longer be trusted, so it closes.
     */
    public void onSendLost()
    {
        ringCopy = 0;
        ringLength = 0;
        ctx.close();
    }

    /**
     * A close of the channel from the pipeline's tail ({@code channel.close()}) submits the send the ring holds first,
     * so that the ring never sends on a descriptor number the kernel may have given to another connection; the bot's
     * own closes, which start past this handler, do so themselves.
     */
    public void close(final ChannelHandlerContext ctx, final ChannelPromise promise)
    {
        submitRingSend();
        ctx.close(promise);
    }

    /**
     * Has the ring submit the send it holds for this bot, if any, so the bot's next bytes or its close follow it.
     */
    private void submitRingSend()
    {
        final SendRing ring = session.sendRing();
        if (ringCopy != 0 && ring != null)
        {
            ring.submitQueued();
        }
    }

    private void writeThroughChannel(final UnsafeBuffer frames, final int offset, final int length)
    {
        final ByteBuf rest = frameCtx.alloc().directBuffer(length);
        try
        {
            frames.getBytes(offset, rest.nioBuffer(0, length), 0, length);
        }
        catch (final RuntimeException | Error ex)
        {
            rest.release();
            ctx.close();
            throw ex;
        }
        frameCtx.writeAndFlush(rest.writerIndex(length), frameCtx.voidPromise());
    }

    /**
     * Sends a close frame and leaves the connection open for the server to close.
     */
    void sendClose(final int closeCode)
    {
        flushAll();
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, ""), ctx.voidPromise());
    }

    /**
     * Sends a close frame and closes the connection once it is written, without waiting for the server.
     */
    void sendCloseAndClose(final int closeCode)
    {
        flushAll();
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode, "")).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Closes the connection without a close frame.
     */
    void close()
    {
        flushAll();
        ctx.close();
    }

    /**
     * Writes what the bot queued, and has the ring submit it if it took it: for what must follow those bytes through
     * this handler's context (a close frame, a close), which passes neither the batch nor the ring.
     */
    private void flushAll()
    {
        flush();
        submitRingSend();
    }
}
