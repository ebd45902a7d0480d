package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.Socket;
import io.netty.handler.timeout.IdleStateEvent;

import java.io.IOException;

/**
 * One connection's reads in its loop's {@link SocketReadPass}: reads the socket when the pass finds it ready, hands
 * the bytes to the connection's {@link BinaryFrameFastPath}, and keeps the idle timer's watch at the pass's sweeps.
 * Owned by the connection's event loop.
 */
final class SocketReader
{
    /** The connection stays in the pass. */
    static final int KEEP = 0;
    /** The connection is closed: it leaves the pass. */
    static final int CLOSED = 1;
    /** The connection leaves the pass for Netty's read path ({@link #handBack()}). */
    static final int HAND_BACK = 2;
    /**
     * The connection stays in the pass and is read again at the next pass whether or not more bytes arrive: bytes
     * may be left (the reads' cap was reached, or reading is paused for another reason), and the pass's epoll set
     * reports a socket only when bytes arrive.
     */
    static final int AGAIN = 3;

    final int fd;

    private final Socket socket;
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
    SocketReader(
        final Socket socket, final ReadDriver driver, final ChannelHandlerContext fastPathContext,
        final long idleTimeoutNs, final Runnable restoreIdleTimer, final long nowNs)
    {
        this.fd = socket.intValue();
        this.socket = socket;
        this.driver = driver;
        this.fastPathContext = fastPathContext;
        this.fastPath = (BinaryFrameFastPath)fastPathContext.handler();
        this.idleTimeoutNs = idleTimeoutNs;
        this.restoreIdleTimer = restoreIdleTimer;
        this.lastReadNs = nowNs;
    }

    /**
     * Reads what waits on the socket, unless reading is paused for another reason.
     *
     * @return {@link #KEEP}, {@link #AGAIN}, {@link #CLOSED} or {@link #HAND_BACK}.
     */
    int read(final SocketReadPass pass, final long nowNs)
    {
        if (fastPath.isPassingAll())
        {
            return HAND_BACK;
        }
        int outcome = AGAIN;
        boolean readAny = false;
        for (int reads = 0; reads < SocketReadPass.MAX_READS_PER_PASS; reads++)
        {
            if (!socket.isOpen())
            {
                outcome = CLOSED;
                break;
            }
            if (!driver.isReadByPassOnly())
            {
                break;
            }
            final ByteBuf buffer = pass.readBuffer().clear();
            final int bytes;
            try
            {
                bytes = socket.recvAddress(buffer.memoryAddress(), 0, SocketReadPass.READ_BYTES);
            }
            catch (final IOException ex)
            {
                fail(ex);
                outcome = CLOSED;
                break;
            }
            if (bytes <= 0)
            {
                outcome = bytes < 0 ? HAND_BACK : KEEP;
                break;
            }
            readAny = true;
            onRead(nowNs);
            buffer.writerIndex(bytes);
            try
            {
                fastPath.readDirect(fastPathContext, buffer);
            }
            catch (final Throwable ex)
            {
                fastPathContext.fireExceptionCaught(ex);
            }
            if (fastPath.isPassingAll())
            {
                outcome = HAND_BACK;
                break;
            }
            if (bytes < SocketReadPass.READ_BYTES)
            {
                outcome = KEEP;
                break;
            }
        }
        if (readAny)
        {
            try
            {
                fastPath.channelReadComplete(fastPathContext);
            }
            catch (final Throwable ex)
            {
                fastPathContext.fireExceptionCaught(ex);
            }
        }
        return outcome;
    }

    /**
     * The pass's look at a connection that may not have received anything for a while: counts Netty's own reads of
     * it, finds it closed or done with the fast path, and fires the idle event once nothing was read for the idle
     * timeout, by the pass or by Netty.
     *
     * @return {@link #KEEP}, {@link #CLOSED} or {@link #HAND_BACK}.
     */
    int sweep(final long nowNs)
    {
        if (fastPath.takeReadThroughPipeline())
        {
            onRead(nowNs);
        }
        if (!socket.isOpen())
        {
            return CLOSED;
        }
        if (fastPath.isPassingAll())
        {
            return HAND_BACK;
        }
        if (!idleFired && nowNs - lastReadNs >= idleTimeoutNs)
        {
            idleFired = true;
            fastPathContext.fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        }
        return KEEP;
    }

    private void onRead(final long nowNs)
    {
        lastReadNs = nowNs;
        idleFired = false;
    }

    /**
     * @return whether the socket is still open: a closed one may have left its descriptor number to another.
     */
    boolean isOpen()
    {
        return socket.isOpen();
    }

    /**
     * Returns the connection to Netty's read path: its idle timer back in place, and a read asked for unless another
     * reason pauses reading. Netty then reads what is left, the end of the stream included. The pass has stopped
     * watching the socket.
     *
     * @return whether the connection was open, so handed back.
     */
    boolean handBack()
    {
        if (!socket.isOpen())
        {
            return false;
        }
        restoreIdleTimer.run();
        ReadDriver.resume(fastPathContext.channel(), ReadDriver.READ_BY_PASS);
        return true;
    }

    /**
     * Reports {@code cause} to the connection's handlers and closes it, as Netty's read path does after a read
     * error; also when something in the pass failed for this connection, so one connection's failure stays its own.
     */
    void fail(final Throwable cause)
    {
        try
        {
            fastPathContext.fireExceptionCaught(cause);
        }
        finally
        {
            fastPathContext.channel().close();
        }
    }
}
