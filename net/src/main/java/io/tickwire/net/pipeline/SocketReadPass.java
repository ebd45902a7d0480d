package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickwire.io.PacedIoHandler;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One event loop's reads of its WebSocket connections straight from their sockets, once per read pass
 * ({@link PacedIoHandler.PassReads}), instead of through Netty's read path. Netty would wake the connection's
 * registration, reset its allocation handle, allocate a buffer, read, and walk the pipeline to the first reader, then
 * again for the end of the read, and ask for the next read: at the reference workload each step is a cache miss on
 * one of a thousand connections' objects, and together they were most of the event loop's own CPU. Here a pass walks
 * one array, reads each socket with one {@code recv(2)} into one buffer of the loop's, and hands the bytes to the
 * connection's {@link BinaryFrameFastPath}, which takes whole binary frames and passes every other byte on to the
 * frame decoder as when Netty reads; the pass thus sees each byte once, in order.
 * <p>
 * A connection is read here from its WebSocket handshake ({@link #attach}) while its socket is open, with its
 * {@link ReadDriver} paused for {@link ReadDriver#READ_BY_PASS} (so Netty stops watching it for input) and without
 * its idle timer: the pass fires the same {@code IdleStateEvent} when nothing was read for the idle timeout. While
 * another reason pauses reading (back pressure, an answer awaited), the pass does not read it either. It goes back to
 * Netty's read path, idle timer and all, at the end of its stream or a close frame: Netty then reads the end again
 * and closes as it does for any connection. A read error is reported to the handlers and closes the connection, as in
 * Netty's read path. A closed connection leaves the pass at its next run, before its socket's number can be read:
 * {@link io.netty.channel.unix.FileDescriptor#isOpen()} turns false at the close, before the descriptor is freed.
 * Netty still reads the socket when a handler asks it to (its ping handling and decoders do, with auto-read off) and
 * on the peer's end of stream; those reads count against the idle timeout too, and bytes stay in order since both
 * read on the loop's thread and hand each read whole to the fast path. Anything that fails in the pass fails only
 * its connection, which is closed. A pass reads a socket at most {@value #MAX_READS_PER_PASS} times (the frame budget
 * closes a client that sends faster), and inputs read in a pass are in the tick that asked for it.
 * <p>
 * Only the loops of the epoll transport paced to ticks have a pass, and only plain (not TLS) connections use it.
 * Owned by its event loop; the counters are read from any thread.
 */
public final class SocketReadPass implements PacedIoHandler.PassReads
{
    /** Bytes of one read: many times the largest client frame, so a pass reads a socket once. */
    static final int READ_BYTES = 16 * 1024;
    /** Reads of one socket per pass at most: a socket with more waiting is read again at the next pass. */
    static final int MAX_READS_PER_PASS = 4;

    private final ByteBufAllocator allocator;
    private final AtomicLong attached = new AtomicLong();
    private final AtomicLong handedBack = new AtomicLong();
    private final AtomicLong left = new AtomicLong();
    private SocketReader[] readers = new SocketReader[16];
    private int readerCount;
    private ByteBuf buffer;

    /**
     * @param allocator the allocator of the loop's read buffer (direct, with a memory address).
     */
    public SocketReadPass(final ByteBufAllocator allocator)
    {
        this.allocator = allocator;
    }

    /**
     * Reads {@code pipeline}'s connection here from now on, if it is a plain epoll connection past its WebSocket
     * handshake ({@link BinaryFrameFastPath#install} done) whose reads a {@link ReadDriver} asks for. On the
     * connection's event loop.
     *
     * @param idleName  the pipeline name of the idle timer, removed here.
     * @param idleTimer a new idle timer to put back when the connection returns to Netty's read path.
     * @return whether the connection is read here.
     */
    public boolean attach(
        final ChannelPipeline pipeline, final String idleName, final Supplier<? extends IdleStateHandler> idleTimer)
    {
        if (!(pipeline.channel() instanceof EpollSocketChannel) || pipeline.get(SslHandler.class) != null ||
            pipeline.get(ReadDriver.class) == null || !readBuffer().hasMemoryAddress())
        {
            return false;
        }
        final IdleStateHandler currentTimer = (IdleStateHandler)pipeline.get(idleName);
        final SocketReader reader = new SocketReader(
            (Socket)((EpollSocketChannel)pipeline.channel()).fd(), ReadDriver.driverOf(pipeline.channel()),
            pipeline.context(BinaryFrameFastPath.NAME), currentTimer.getReaderIdleTimeInMillis() * 1_000_000L,
            () -> pipeline.addBefore(BinaryFrameFastPath.NAME, idleName, idleTimer.get()), System.nanoTime());
        pipeline.remove(idleName);
        ReadDriver.pause(pipeline.channel(), ReadDriver.READ_BY_PASS);
        if (readerCount == readers.length)
        {
            readers = Arrays.copyOf(readers, readerCount * 2);
        }
        readers[readerCount++] = reader;
        attached.lazySet(attached.get() + 1);
        return true;
    }

    public void read(final long nowNs)
    {
        int i = 0;
        while (i < readerCount)
        {
            final SocketReader reader = readers[i];
            try
            {
                final int outcome = reader.read(this, nowNs);
                if (outcome == SocketReader.KEEP)
                {
                    i++;
                    continue;
                }
                if (outcome == SocketReader.HAND_BACK && reader.handBack())
                {
                    handedBack.lazySet(handedBack.get() + 1);
                }
            }
            catch (final Throwable ex)
            {
                reader.fail(ex);
            }
            readers[i] = readers[--readerCount];
            readers[readerCount] = null;
            left.lazySet(left.get() + 1);
        }
    }

    /**
     * @return the loop's read buffer, made at the first attach. No handler keeps a part of it: the fast path passes
     * copies on ({@link BinaryFrameFastPath#readDirect}).
     */
    ByteBuf readBuffer()
    {
        if (buffer == null)
        {
            buffer = allocator.directBuffer(READ_BYTES, READ_BYTES);
        }
        return buffer;
    }

    /**
     * @return the connections read here since start. Any thread.
     */
    public long attached()
    {
        return attached.get();
    }

    /**
     * @return the connections read here now: attached and not yet gone (closed, or handed back). Any thread.
     */
    public long reading()
    {
        final long gone = left.get();
        return attached.get() - gone;
    }

    /**
     * @return the connections read here that went back to Netty's read path (end of stream, close frame) while
     * open, since start. Any thread.
     */
    public long handedBack()
    {
        return handedBack.get();
    }

    public void close()
    {
        if (buffer != null)
        {
            buffer.release();
            buffer = null;
        }
    }
}
