package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickwire.io.PacedIoHandler;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One event loop's reads of its WebSocket connections straight from their sockets, at each read pass and read-ahead
 * ({@link PacedIoHandler.PassReads}), instead of through Netty's read path. Netty would wake the connection's
 * registration, reset its allocation handle, allocate a buffer, read, and walk the pipeline to the first reader, then
 * again for the end of the read, and ask for the next read: at the reference workload each step is a cache miss on
 * one of a thousand connections' objects, and together they were most of the event loop's own CPU. Here a pass asks
 * the kernel which sockets received bytes ({@link ReadySockets}: the pass's own edge-triggered epoll set), reads each
 * with one {@code recv(2)} into one buffer of the loop's, and hands the bytes to the connection's
 * {@link BinaryFrameFastPath}, which takes whole binary frames and passes every other byte on to the frame decoder as
 * when Netty reads; the pass thus sees each byte once, in order.
 * <p>
 * Only the sockets that received are read, so the loop can read ahead between ticks at the cost of a poll: the pass
 * before a tick then reads only what arrived since the last read-ahead, and starts the tick sooner. Within one run the
 * sockets are read in the order of their descriptors (about the order they connected in, and so of their objects in
 * memory, which a run in arrival order would touch at random); across runs, in arrival order: a tick's inputs reach the
 * shard's ring, and its snapshots the loop's writes ({@link io.tickwire.sim.ClientLink#rankNextSnapshot}), in the order
 * of the runs that read them, the longest-waiting first. A socket not read empty (the cap of
 * {@value #MAX_READS_PER_PASS} reads, or reading paused) is read again at the next run, since the kernel reports it
 * again only when more bytes arrive.
 * <p>
 * A connection is read here from its WebSocket handshake ({@link #attach}) while its socket is open, with its
 * {@link ReadDriver} paused for {@link ReadDriver#READ_BY_PASS} (so Netty stops watching it for input) and without
 * its idle timer: every {@link #SWEEP_PERIOD_NS} the pass looks at each connection and fires the same
 * {@code IdleStateEvent} when nothing was read for the idle timeout. While another reason pauses reading (back
 * pressure, an answer awaited), the pass does not read it either. It goes back to Netty's read path, idle timer and
 * all, at the end of its stream or a close frame: Netty then reads the end again and closes as it does for any
 * connection. A read error is reported to the handlers and closes the connection, as in Netty's read path. A closed
 * socket leaves the epoll set with its close, and its reader leaves the pass before its descriptor number can be
 * read again: {@link io.netty.channel.unix.FileDescriptor#isOpen()} turns false at the close, before the descriptor
 * is freed, and a new connection given the same number replaces it. Netty still reads the socket when a handler asks
 * it to (its ping handling and decoders do, with auto-read off) and on the peer's end of stream; those reads count
 * against the idle timeout too, and bytes stay in order since both read on the loop's thread and hand each read whole
 * to the fast path. Anything that fails in the pass fails only its connection, which is closed. A pass reads a socket
 * at most {@value #MAX_READS_PER_PASS} times (the frame budget closes a client that sends faster), and inputs read in
 * a pass are in the tick that asked for it.
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
    /** How often the pass looks at every connection, received or not: for the idle timeout, closes, hand-backs. */
    static final long SWEEP_PERIOD_NS = 250_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(SocketReadPass.class);

    private final ByteBufAllocator allocator;
    private final AtomicLong attached = new AtomicLong();
    private final AtomicLong handedBack = new AtomicLong();
    private final AtomicLong left = new AtomicLong();
    private SocketReader[] readerByFd = new SocketReader[1024];
    /** A bit per descriptor: its socket is to be read at this pass (reported by the epoll set, or bytes left). */
    private long[] toRead = new long[readerByFd.length / Long.SIZE];
    private long nextSweepNs;
    private ByteBuf buffer;
    private ReadySockets readySockets;
    private boolean unavailable;

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
            pipeline.get(ReadDriver.class) == null || !readBuffer().hasMemoryAddress() || readySockets() == null)
        {
            return false;
        }
        final IdleStateHandler currentTimer = (IdleStateHandler)pipeline.get(idleName);
        final SocketReader reader = new SocketReader(
            (Socket)((EpollSocketChannel)pipeline.channel()).fd(), ReadDriver.driverOf(pipeline.channel()),
            pipeline.context(BinaryFrameFastPath.NAME), currentTimer.getReaderIdleTimeInMillis() * 1_000_000L,
            () -> pipeline.addBefore(BinaryFrameFastPath.NAME, idleName, idleTimer.get()), System.nanoTime());
        final int fd = reader.fd;
        if (fd < readerByFd.length && readerByFd[fd] != null)
        {
            remove(readerByFd[fd]);
        }
        try
        {
            readySockets.add(fd);
        }
        catch (final IOException ex)
        {
            LOG.warn("connection {} is read by Netty: the read pass cannot watch it", pipeline.channel(), ex);
            return false;
        }
        pipeline.remove(idleName);
        ReadDriver.pause(pipeline.channel(), ReadDriver.READ_BY_PASS);
        if (fd >= readerByFd.length)
        {
            final int length = Math.max(readerByFd.length * 2, (fd / Long.SIZE + 1) * Long.SIZE);
            readerByFd = Arrays.copyOf(readerByFd, length);
            toRead = Arrays.copyOf(toRead, length / Long.SIZE);
        }
        if (reading() == 0)
        {
            nextSweepNs = System.nanoTime() + SWEEP_PERIOD_NS;
        }
        readerByFd[fd] = reader;
        attached.lazySet(attached.get() + 1);
        return true;
    }

    /**
     * Reads the connections that received since they were last read, and those left with bytes by the last pass,
     * in the order of their descriptors (about the order they connected in, and so of their objects in memory).
     */
    public void read(final long nowNs)
    {
        if (reading() == 0)
        {
            return;
        }
        markReady();
        if (reading() == 0)
        {
            return;
        }
        for (int word = 0; word < toRead.length; word++)
        {
            long bits = toRead[word];
            if (bits == 0)
            {
                continue;
            }
            toRead[word] = 0;
            while (bits != 0)
            {
                final long bit = Long.lowestOneBit(bits);
                bits ^= bit;
                final SocketReader reader = readerByFd[word * Long.SIZE + Long.numberOfTrailingZeros(bit)];
                if (reader != null && read(reader, nowNs) == SocketReader.AGAIN)
                {
                    toRead[word] |= bit;
                }
            }
        }
        if (nowNs - nextSweepNs >= 0)
        {
            nextSweepNs = nowNs + SWEEP_PERIOD_NS;
            sweep(nowNs);
        }
    }

    /**
     * Marks the sockets the epoll set reports. Should the set fail, every connection goes back to Netty's read path,
     * and the loop's later connections stay there: a pass that cannot learn which sockets received would leave them
     * unread.
     */
    private void markReady()
    {
        try
        {
            int ready;
            do
            {
                ready = readySockets.poll();
                for (int i = 0; i < ready; i++)
                {
                    final int fd = readySockets.fd(i);
                    if (fd < readerByFd.length && readerByFd[fd] != null)
                    {
                        toRead[fd / Long.SIZE] |= 1L << fd;
                    }
                }
            }
            while (ready == ReadySockets.EVENTS_PER_POLL);
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            LOG.error("the read pass's epoll set failed: this event loop's connections go back to Netty", ex);
            unavailable = true;
            final ReadySockets failed = readySockets;
            readySockets = null;
            for (final SocketReader reader : readerByFd)
            {
                if (reader != null)
                {
                    remove(reader);
                    handBack(reader);
                }
            }
            failed.close();
        }
    }

    private int read(final SocketReader reader, final long nowNs)
    {
        int outcome;
        try
        {
            outcome = reader.read(this, nowNs);
        }
        catch (final Throwable ex)
        {
            reader.fail(ex);
            outcome = SocketReader.CLOSED;
        }
        if (outcome == SocketReader.CLOSED || outcome == SocketReader.HAND_BACK)
        {
            leave(reader, outcome);
        }
        return outcome;
    }

    private void sweep(final long nowNs)
    {
        for (final SocketReader reader : readerByFd)
        {
            if (reader == null)
            {
                continue;
            }
            int outcome;
            try
            {
                outcome = reader.sweep(nowNs);
            }
            catch (final Throwable ex)
            {
                reader.fail(ex);
                outcome = SocketReader.CLOSED;
            }
            if (outcome != SocketReader.KEEP)
            {
                leave(reader, outcome);
            }
        }
    }

    private void leave(final SocketReader reader, final int outcome)
    {
        remove(reader);
        if (outcome != SocketReader.HAND_BACK || !reader.isOpen())
        {
            return;
        }
        try
        {
            readySockets.remove(reader.fd);
        }
        catch (final IOException ex)
        {
            reader.fail(ex);
            return;
        }
        handBack(reader);
    }

    private void handBack(final SocketReader reader)
    {
        if (reader.handBack())
        {
            handedBack.lazySet(handedBack.get() + 1);
        }
    }

    private void remove(final SocketReader reader)
    {
        final int fd = reader.fd;
        if (readerByFd[fd] != reader)
        {
            return;
        }
        readerByFd[fd] = null;
        toRead[fd / Long.SIZE] &= ~(1L << fd);
        left.lazySet(left.get() + 1);
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

    private ReadySockets readySockets()
    {
        if (readySockets == null && !unavailable)
        {
            try
            {
                readySockets = ReadySockets.open();
            }
            catch (final IOException ex)
            {
                unavailable = true;
                LOG.warn("this event loop's connections are read by Netty: the read pass has no epoll set", ex);
            }
        }
        return readySockets;
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
        if (readySockets != null)
        {
            readySockets.close();
            readySockets = null;
        }
    }
}
