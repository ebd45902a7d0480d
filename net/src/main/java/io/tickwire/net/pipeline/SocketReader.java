package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickwire.io.SocketReadPass;

import java.util.function.Supplier;

/**
 * One WebSocket connection's reads in its loop's {@link SocketReadPass}: hands the bytes the pass reads to the
 * connection's {@link BinaryFrameFastPath}, which takes whole binary frames and passes every other byte on to the
 * frame decoder as when Netty reads; reads only while the connection's {@link ReadDriver} has no reason to pause but
 * {@link ReadDriver#READ_BY_PASS}; and keeps the idle timer's watch at the pass's sweeps, firing the same
 * {@code IdleStateEvent} when nothing was read for the idle timeout. It goes back to Netty's read path, idle timer and
 * all, at the end of its stream or once the fast path passes everything on (a close frame). Netty still reads the
 * socket when a handler asks it to (its ping handling and decoders do, with auto-read off); those reads count against
 * the idle timeout too, and bytes stay in order since both read on the loop's thread and hand each read whole to the
 * fast path. Owned by the connection's event loop.
 */
public final class SocketReader extends SocketReadPass.Reader
{
    private final ReadDriver driver;
    private final ChannelHandlerContext fastPathContext;
    private final BinaryFrameFastPath fastPath;
    private final long idleTimeoutNs;
    private final Runnable restoreIdleTimer;
    private long lastReadNs;
    private boolean idleFired;

    /**
     * @param fastPathContext  the context of the connection's {@link BinaryFrameFastPath}.
     * @param idleTimeoutNs    the time without a read after which the connection is idle.
     * @param restoreIdleTimer puts an idle timer back in the pipeline, in front of the fast path.
     * @param nowNs            the time reading starts here.
     */
    private SocketReader(
        final Socket socket, final ReadDriver driver, final ChannelHandlerContext fastPathContext,
        final long idleTimeoutNs, final Runnable restoreIdleTimer, final long nowNs)
    {
        super(socket);
        this.driver = driver;
        this.fastPathContext = fastPathContext;
        this.fastPath = (BinaryFrameFastPath)fastPathContext.handler();
        this.idleTimeoutNs = idleTimeoutNs;
        this.restoreIdleTimer = restoreIdleTimer;
        this.lastReadNs = nowNs;
    }

    /**
     * Has {@code pass} read {@code pipeline}'s connection from now on, if it is a plain epoll connection past its
     * WebSocket handshake whose reads a {@link ReadDriver} asks for: the driver is paused for
     * {@link ReadDriver#READ_BY_PASS}, so Netty stops watching it for input, and the idle timer leaves the pipeline.
     * {@link BinaryFrameFastPath#install} calls it, on the connection's event loop.
     *
     * @param idleName  the pipeline name of the idle timer, removed here.
     * @param idleTimer a new idle timer to put back when the connection returns to Netty's read path.
     * @return whether the connection is read by the pass.
     */
    static boolean attach(
        final SocketReadPass pass, final ChannelPipeline pipeline, final String idleName,
        final Supplier<? extends IdleStateHandler> idleTimer)
    {
        if (!(pipeline.channel() instanceof EpollSocketChannel) || pipeline.get(SslHandler.class) != null ||
            pipeline.get(ReadDriver.class) == null)
        {
            return false;
        }
        final IdleStateHandler currentTimer = (IdleStateHandler)pipeline.get(idleName);
        final SocketReader reader = new SocketReader(
            (Socket)((EpollSocketChannel)pipeline.channel()).fd(), ReadDriver.driverOf(pipeline.channel()),
            pipeline.context(BinaryFrameFastPath.NAME), currentTimer.getReaderIdleTimeInMillis() * 1_000_000L,
            () -> pipeline.addBefore(BinaryFrameFastPath.NAME, idleName, idleTimer.get()), System.nanoTime());
        if (!pass.attach(reader))
        {
            return false;
        }
        pipeline.remove(idleName);
        ReadDriver.pause(pipeline.channel(), ReadDriver.READ_BY_PASS);
        return true;
    }

    protected boolean isDone()
    {
        return fastPath.isPassingAll();
    }

    protected boolean isPaused()
    {
        return !driver.isReadByPassOnly();
    }

    protected void onBytes(final ByteBuf bytes, final long nowNs)
    {
        onRead(nowNs);
        fastPath.readDirect(fastPathContext, bytes);
    }

    protected void onReadComplete()
    {
        fastPath.channelReadComplete(fastPathContext);
    }

    /**
     * Counts Netty's own reads of the connection, and fires the idle event once nothing was read for the idle
     * timeout, by the pass or by Netty.
     */
    protected void sweep(final long nowNs)
    {
        if (fastPath.takeReadThroughPipeline())
        {
            onRead(nowNs);
        }
        if (!idleFired && nowNs - lastReadNs >= idleTimeoutNs)
        {
            idleFired = true;
            fastPathContext.fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        }
    }

    /**
     * Puts the idle timer back in place, and asks for a read unless another reason pauses reading.
     */
    protected void onHandBack()
    {
        restoreIdleTimer.run();
        ReadDriver.resume(fastPathContext.channel(), ReadDriver.READ_BY_PASS);
    }

    protected void exceptionCaught(final Throwable cause)
    {
        fastPathContext.fireExceptionCaught(cause);
    }

    protected void close()
    {
        fastPathContext.channel().close();
    }

    public String toString()
    {
        return "connection " + fastPathContext.channel();
    }

    private void onRead(final long nowNs)
    {
        lastReadNs = nowNs;
        idleFired = false;
    }
}
