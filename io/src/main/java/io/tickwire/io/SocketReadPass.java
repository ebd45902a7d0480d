package io.tickwire.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.unix.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event loop's reads of its connections straight from their sockets, in runs the loop decides on (each read pass
 * and read-ahead of the server's loops, {@link PacedIoHandler.PassReads}; each cycle of the swarm's), instead of
 * through Netty's read path. Netty would wake the connection's registration, reset its allocation handle, allocate a
 * buffer, read, and walk the pipeline to the first reader, then again for the end of the read, and ask for the next
 * read: with a thousand connections each step is a cache miss on one connection's objects, and together they were
 * most of the event loop's own CPU, in the server and in the swarm. Here a run asks the kernel which sockets received
 * bytes ({@link ReadySockets}: the pass's own edge-triggered epoll set), reads each with one {@code recv(2)} into one
 * buffer of the loop's, and hands the bytes to the connection's {@link Reader}, which sees each byte once, in order.
 * <p>
 * Only the sockets that received are read, so a run costs a poll when nothing arrived. Within one run the sockets are
 * read in the order of their descriptors (about the order they connected in, and so of their objects in memory, which
 * a run in arrival order would touch at random); across runs, in arrival order. A socket not read empty (the cap of
 * {@value #MAX_READS_PER_PASS} reads, or its reader paused) is read again at the next run, since the kernel reports it
 * again only when more bytes arrive.
 * <p>
 * A connection is read here from {@link #attach} while its socket is open and its reader is not done: its owner has
 * stopped Netty from watching it for input (auto-read off, or a read driver paused) and gets it back through
 * {@link Reader#onHandBack()} at the end of its stream or when the reader is done: Netty then reads the end again and
 * closes as it does for any connection. A read error is reported to the reader and closes the connection, as in
 * Netty's read path. Every {@link #SWEEP_PERIOD_NS} the pass looks at each connection, received or not
 * ({@link Reader#sweep}: an idle timeout, a hand-back). A closed socket leaves the epoll set with its close, and its
 * reader leaves the pass before its descriptor number can be read again: {@link Socket#isOpen()} turns false at the
 * close, before the descriptor is freed, and a new connection given the same number replaces it. Anything that fails
 * in the pass fails only its connection, which is closed. Should the epoll set fail, every connection goes back to
 * Netty, and the loop's later ones stay there.
 * <p>
 * Owned by its event loop; the counters are read from any thread.
 */
public final class SocketReadPass implements PacedIoHandler.PassReads
{
    /** Bytes of one read: many times the largest client frame, so a run reads a socket once. */
    public static final int READ_BYTES = 16 * 1024;
    /** Reads of one socket per run at most: a socket with more waiting is read again at the next run. */
    public static final int MAX_READS_PER_PASS = 4;
    /** How often the pass looks at every connection, received or not: for idle timeouts, closes, hand-backs. */
    public static final long SWEEP_PERIOD_NS = 250_000_000L;

    /** A run's or a sweep's outcome for a connection: it stays in the pass. */
    static final int KEEP = 0;
    /** The connection is closed: it leaves the pass. */
    static final int CLOSED = 1;
    /** The connection leaves the pass for Netty's read path ({@link Reader#onHandBack()}). */
    static final int HAND_BACK = 2;
    /**
     * The connection stays in the pass and is read again at the next run whether or not more bytes arrive: bytes may
     * be left (the reads' cap was reached, or its reader is paused), and the epoll set reports a socket only when
     * bytes arrive.
     */
    static final int AGAIN = 3;

    private static final Logger LOG = LoggerFactory.getLogger(SocketReadPass.class);

    private final ByteBufAllocator allocator;
    private final AtomicLong attached = new AtomicLong();
    private final AtomicLong handedBack = new AtomicLong();
    private final AtomicLong left = new AtomicLong();
    private Reader[] readerByFd = new Reader[1024];
    /** A bit per descriptor: its socket is to be read at this run (reported by the epoll set, or bytes left). */
    private long[] toRead = new long[readerByFd.length / Long.SIZE];
    private long nextSweepNs;
    private ByteBuf buffer;
    /**
     * The read buffer's native address ({@link NativeAddress}: with or without Netty's {@code Unsafe}), taken once:
     * the buffer's capacity is its maximum, so it never moves, and a reader may not change it.
     */
    private long bufferAddress;
    private ReadySockets readySockets;
    private boolean unavailable;

    /**
     * @param allocator the allocator of the loop's read buffer (direct, of one piece).
     */
    public SocketReadPass(final ByteBufAllocator allocator)
    {
        this.allocator = allocator;
    }

    /**
     * Reads {@code reader}'s socket here from now on. On the connection's event loop; the caller then stops Netty
     * from watching the socket for input, and gives it back when {@link Reader#onHandBack()} is called.
     *
     * @return whether the socket is read here: false when it is closed already, or this loop's pass has no epoll set
     * or cannot watch it.
     */
    public boolean attach(final Reader reader)
    {
        if (!reader.isOpen() || readySockets() == null)
        {
            return false;
        }
        ensureReadBuffer();
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
            LOG.warn("{} is read by Netty: the read pass cannot watch it", reader, ex);
            return false;
        }
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
     * Reads the connections that received since they were last read, and those left with bytes by the last run, in
     * the order of their descriptors (about the order they connected in, and so of their objects in memory).
     */
    public void read(final long nowNs)
    {
        readReady(nowNs);
    }

    /**
     * Runs {@link #read(long)}.
     *
     * @return the connections it read or tried to read: those the epoll set reported, and those left with bytes or
     * paused at the last run. 0 when none received since the last run and none was left, so a loop that runs again
     * while this is above 0 reads what arrived while it read (a reader paused for good would keep it above 0).
     */
    public int readReady(final long nowNs)
    {
        if (reading() == 0)
        {
            return 0;
        }
        markReady();
        int read = 0;
        for (int word = 0; word < toRead.length; word++)
        {
            long bits = toRead[word];
            if (bits == 0)
            {
                continue;
            }
            while (bits != 0)
            {
                final long bit = Long.lowestOneBit(bits);
                bits ^= bit;
                // Cleared as each socket is taken, not the word at once: should a run end early, the sockets it had
                // not reached are read at the next, since the epoll set reports none of them again.
                toRead[word] &= ~bit;
                final Reader reader = readerByFd[word * Long.SIZE + Long.numberOfTrailingZeros(bit)];
                if (reader != null)
                {
                    read++;
                    if (read(reader, nowNs) == AGAIN)
                    {
                        toRead[word] |= bit;
                    }
                }
            }
        }
        if (reading() > 0 && nowNs - nextSweepNs >= 0)
        {
            nextSweepNs = nowNs + SWEEP_PERIOD_NS;
            sweep(nowNs);
        }
        return read;
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
            for (final Reader reader : readerByFd)
            {
                if (reader != null)
                {
                    remove(reader);
                    handBack(reader);
                }
            }
            try
            {
                failed.close();
            }
            catch (final RuntimeException | LinkageError closeFailure)
            {
                LOG.warn("the read pass's failed epoll set did not close", closeFailure);
            }
        }
    }

    private int read(final Reader reader, final long nowNs)
    {
        int outcome;
        try
        {
            outcome = readSocket(reader, nowNs);
        }
        catch (final Throwable ex)
        {
            reader.fail(ex);
            outcome = CLOSED;
        }
        if (outcome == CLOSED || outcome == HAND_BACK)
        {
            leave(reader, outcome);
        }
        return outcome;
    }

    /**
     * Reads what waits on the reader's socket, unless the reader is paused, at most {@value #MAX_READS_PER_PASS}
     * times.
     *
     * @return {@link #KEEP}, {@link #AGAIN}, {@link #CLOSED} or {@link #HAND_BACK}.
     */
    private int readSocket(final Reader reader, final long nowNs)
    {
        if (reader.isDone())
        {
            return HAND_BACK;
        }
        int outcome = AGAIN;
        boolean readAny = false;
        for (int reads = 0; reads < MAX_READS_PER_PASS; reads++)
        {
            if (!reader.isOpen())
            {
                outcome = CLOSED;
                break;
            }
            if (reader.isPaused())
            {
                break;
            }
            final ByteBuf bytes = buffer.clear();
            final int length;
            try
            {
                length = reader.socket.recvAddress(bufferAddress, 0, READ_BYTES);
            }
            catch (final IOException ex)
            {
                reader.fail(ex);
                outcome = CLOSED;
                break;
            }
            if (length <= 0)
            {
                outcome = length < 0 ? HAND_BACK : KEEP;
                break;
            }
            readAny = true;
            bytes.writerIndex(length);
            try
            {
                reader.onBytes(bytes, nowNs);
            }
            catch (final Throwable ex)
            {
                reader.exceptionCaught(ex);
            }
            if (reader.isDone())
            {
                outcome = HAND_BACK;
                break;
            }
            if (length < READ_BYTES)
            {
                outcome = KEEP;
                break;
            }
        }
        if (readAny)
        {
            try
            {
                reader.onReadComplete();
            }
            catch (final Throwable ex)
            {
                reader.exceptionCaught(ex);
            }
        }
        return outcome;
    }

    private void sweep(final long nowNs)
    {
        for (final Reader reader : readerByFd)
        {
            if (reader == null)
            {
                continue;
            }
            int outcome = CLOSED;
            try
            {
                if (reader.isOpen())
                {
                    outcome = reader.isDone() ? HAND_BACK : KEEP;
                }
                if (outcome == KEEP)
                {
                    reader.sweep(nowNs);
                }
            }
            catch (final Throwable ex)
            {
                reader.fail(ex);
                outcome = CLOSED;
            }
            if (outcome != KEEP)
            {
                leave(reader, outcome);
            }
        }
    }

    private void leave(final Reader reader, final int outcome)
    {
        remove(reader);
        if (outcome != HAND_BACK || !reader.isOpen())
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

    /**
     * Gives {@code reader}'s connection back to Netty, if it is still open (a closed one may have left its number to
     * another connection), and counts it; a hand-back that throws fails the connection instead, uncounted.
     */
    private void handBack(final Reader reader)
    {
        if (!reader.isOpen())
        {
            return;
        }
        try
        {
            reader.onHandBack();
        }
        catch (final Throwable ex)
        {
            reader.fail(ex);
            return;
        }
        handedBack.lazySet(handedBack.get() + 1);
    }

    private void remove(final Reader reader)
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
     * Makes the loop's read buffer at the first attach. No reader keeps a part of it ({@link Reader#onBytes}).
     */
    private void ensureReadBuffer()
    {
        if (buffer == null)
        {
            buffer = allocator.directBuffer(READ_BYTES, READ_BYTES);
            bufferAddress = NativeAddress.of(buffer, 0, READ_BYTES);
        }
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
            bufferAddress = 0;
        }
        if (readySockets != null)
        {
            readySockets.close();
            readySockets = null;
        }
    }

    /**
     * One connection's side of the pass: where its bytes go, and how it goes back to Netty. Made by the connection's
     * owner on its event loop; the pass calls it there, and a failure in any call fails only this connection.
     */
    public abstract static class Reader
    {
        final int fd;
        private final Socket socket;

        /**
         * @param socket the connection's socket, which Netty no longer watches for input once {@link #attach} took
         *               it.
         */
        protected Reader(final Socket socket)
        {
            this.fd = socket.intValue();
            this.socket = socket;
        }

        /**
         * @return whether the connection is done with the pass and goes back to Netty's read path (a close frame
         * read, say); checked before and after each read and at each sweep.
         */
        protected abstract boolean isDone();

        /**
         * @return whether another reason pauses reading now (back pressure, an answer awaited): the socket is read
         * at the first run after it ends, whether or not more bytes arrive.
         */
        protected boolean isPaused()
        {
            return false;
        }

        /**
         * Takes the bytes of one read; what this throws is passed to {@link #exceptionCaught}.
         *
         * @param bytes the pass's buffer, holding them from its reader index to its writer index; valid only during
         *              the call, so whatever is kept is copied.
         * @param nowNs the time the run started, in nanoseconds.
         */
        protected abstract void onBytes(ByteBuf bytes, long nowNs);

        /**
         * The run has read what it reads of this socket now, after at least one {@link #onBytes}.
         */
        protected void onReadComplete()
        {
        }

        /**
         * The pass's look, every {@link #SWEEP_PERIOD_NS}, at a connection open and not done, whether or not it
         * received: for an idle timeout, say.
         *
         * @param nowNs the time the run started, in nanoseconds.
         */
        protected void sweep(final long nowNs)
        {
        }

        /**
         * Gives the open connection back to Netty's read path, which then reads what is left, the end of the stream
         * included. The pass has stopped watching the socket.
         */
        protected abstract void onHandBack();

        /**
         * Reports {@code cause} to the connection's handlers, as Netty's read path does.
         */
        protected abstract void exceptionCaught(Throwable cause);

        /**
         * Closes the connection.
         */
        protected abstract void close();

        /**
         * @return whether the socket is still open: a closed one may have left its descriptor number to another.
         */
        final boolean isOpen()
        {
            return socket.isOpen();
        }

        /**
         * Reports {@code cause} and closes the connection, as Netty's read path does after a read error. Throws
         * nothing: what the report or the close throws is logged, so it cannot end the pass's run.
         */
        final void fail(final Throwable cause)
        {
            try
            {
                exceptionCaught(cause);
            }
            catch (final Throwable ex)
            {
                LOG.warn("{} failed to report {}", this, cause, ex);
            }
            try
            {
                close();
            }
            catch (final Throwable ex)
            {
                LOG.warn("{} failed to close", this, ex);
            }
        }
    }
}
