package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
import io.netty.channel.IoHandler;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.PlatformDependent;
import io.tickwire.io.NoWaitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoll event loop's batched snapshot writes. Within a drain of the loop's outbound queue ({@link #begin()} to
 * {@link #submit()}), a snapshot that would go straight to its socket is queued as an io_uring send instead, and
 * {@link #submit()} hands the whole batch to the kernel in one {@code io_uring_enter}: on this VM a {@code write(2)}
 * per client per tick was the largest single cost of a client-tick (docs/PERFORMANCE.md, "Fourteenth pass").
 * <pre>
 *   a frame of one buffer:          IORING_OP_SEND   with MSG_DONTWAIT
 *   a header and a shared body:     IORING_OP_WRITEV with RWF_NOWAIT (the two iovecs in this ring's memory)
 * </pre>
 * Every send is non-blocking: a socket without room completes at once with {@code -EAGAIN} instead of being watched
 * by the kernel. So when {@link #submit()} returns, every send of the batch has its result, the kernel holds none of
 * the batch's memory, and what it did not take goes through the session's pipeline, as the rest of a direct write
 * does ({@link Session#onBatchedWrite}). Until its result the session writes nothing else and keeps its slots as they
 * are, so the frame's memory and the connection's byte order hold.
 * <p>
 * Should a submission fail, or a send have no result when its submission returns (a kernel that watches a
 * non-blocking send), the ring retires: it takes no more sends, it keeps what the kernel may still read (and those
 * sessions keep their slots), the connections of the sends without a result are closed, and the loop writes each
 * frame itself from then on. The ring is Netty's io_uring handler, made for and driven on the epoll loop's thread
 * (its only issuer) through its public API; no channel is registered with it.
 * <p>
 * Event loop only.
 */
final class SendRing implements IoUringIoHandle
{
    /** Sends queued at most before a submission, by default: a larger drain is submitted in parts of this size. */
    static final int ENTRIES = 4096;
    /** Opcodes and flags of the kernel's io_uring ABI (include/uapi/linux/io_uring.h, socket.h, fs.h). */
    private static final byte IORING_OP_WRITEV = 2;
    private static final byte IORING_OP_SEND = 26;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int RWF_NOWAIT = 0x8;
    private static final int IOVEC_BYTES = 16;
    private static final long NO_SUBMISSION = 0;
    private static final Logger LOGGER = LoggerFactory.getLogger(SendRing.class);

    private final IoHandler ring;
    private final IoRegistration registration;
    private final int entries;
    /** Two iovecs per entry, for a frame of two buffers. */
    private final long vectors;
    private final Session[] senders;
    private final ByteBuf[] heads;
    private final ByteBuf[] bodies;
    private int queued;
    private long sendsQueued;
    private boolean inBatch;
    private boolean retired;
    private boolean destroyed;

    private SendRing(final IoHandler ring, final int entries) throws Exception
    {
        this.ring = ring;
        this.entries = entries;
        this.senders = new Session[entries];
        this.heads = new ByteBuf[entries];
        this.bodies = new ByteBuf[entries];
        ring.initialize();
        this.registration = ring.register(this);
        this.vectors = PlatformDependent.allocateMemory((long)entries * 2 * IOVEC_BYTES);
    }

    /**
     * Makes the ring of the event loop {@code loop}, on that loop's thread.
     *
     * @param entries sends queued at most before a submission (at most 65,536: an entry's number travels in 16 bits).
     * @throws Exception when the system refuses an io_uring (no native library, an old kernel,
     *                   {@code kernel.io_uring_disabled}, a seccomp filter); nothing is left open.
     */
    static SendRing open(final ThreadAwareExecutor loop, final int entries) throws Exception
    {
        if (entries < 1 || entries > 1 << 16)
        {
            throw new IllegalArgumentException("entries must be in 1..65536: " + entries);
        }
        final IoHandler ring = IoUringIoHandler.newFactory(
            new IoUringIoHandlerConfig().setRingSize(entries).setCqSize(2 * entries)).newHandler(loop);
        try
        {
            return new SendRing(ring, entries);
        }
        catch (final Exception | Error ex)
        {
            ring.destroy();
            throw ex;
        }
    }

    /**
     * Opens a batch: sends are taken until {@link #submit()}.
     */
    void begin()
    {
        inBatch = !retired && !destroyed;
    }

    /**
     * Queues {@code head} then {@code body} as one send on {@code socket}, if a batch is open and both have native
     * addresses. The ring takes {@code body} over: the session hears of the send in {@link Session#onBatchedWrite},
     * with {@code head}, which stays the caller's and must not change before then.
     *
     * @param body the frame's second part, or null.
     * @return whether it was queued; if not, nothing was taken.
     */
    boolean offer(final Session session, final FileDescriptor socket, final ByteBuf head, final ByteBuf body)
    {
        final boolean twoParts = body != null && body.isReadable();
        if (!inBatch || !head.hasMemoryAddress() || twoParts && !body.hasMemoryAddress())
        {
            return false;
        }
        if (queued == entries)
        {
            submitQueued();
            if (retired)
            {
                return false;
            }
        }
        final int entry = queued;
        final IoUringIoOps send;
        if (twoParts)
        {
            final long vector = vectors + (long)entry * 2 * IOVEC_BYTES;
            PlatformDependent.putLong(vector, head.memoryAddress() + head.readerIndex());
            PlatformDependent.putLong(vector + 8, head.readableBytes());
            PlatformDependent.putLong(vector + IOVEC_BYTES, body.memoryAddress() + body.readerIndex());
            PlatformDependent.putLong(vector + IOVEC_BYTES + 8, body.readableBytes());
            send = ops(IORING_OP_WRITEV, socket.intValue(), vector, 2, RWF_NOWAIT, entry);
        }
        else
        {
            send = ops(IORING_OP_SEND, socket.intValue(), head.memoryAddress() + head.readerIndex(),
                head.readableBytes(), MSG_DONTWAIT, entry);
        }
        if (registration.submit(send) == NO_SUBMISSION)
        {
            return false;
        }
        queued++;
        senders[entry] = session;
        heads[entry] = head;
        bodies[entry] = body;
        sendsQueued++;
        return true;
    }

    /**
     * Submits what the batch queued, in one system call, and has each session hear how much of its frame went; closes
     * the batch.
     */
    void submit()
    {
        inBatch = false;
        submitQueued();
    }

    private void submitQueued()
    {
        if (queued == 0 || retired)
        {
            return;
        }
        try
        {
            ring.run(NoWaitContext.INSTANCE);
        }
        catch (final RuntimeException | Error ex)
        {
            retire("its submission failed: " + ex);
            return;
        }
        for (int entry = 0; entry < queued; entry++)
        {
            if (senders[entry] != null)
            {
                retire("a non-blocking send had no result when its submission returned");
                return;
            }
        }
        queued = 0;
    }

    /**
     * Takes no more sends, keeps what the kernel may still read, and closes the connections whose sends had no
     * result: their bytes can no longer be trusted. Their sessions keep their slots, and the bodies stay referenced
     * here, for as long as the ring lives.
     */
    private void retire(final String why)
    {
        retired = true;
        inBatch = false;
        LOGGER.error("An event loop's send ring retired ({}); the loop writes each frame itself from now on", why);
        for (int entry = 0; entry < queued; entry++)
        {
            if (senders[entry] != null)
            {
                senders[entry].closeWithoutFrame();
            }
        }
    }

    /**
     * A send's result, while {@link #submitQueued()} runs the ring (or, for a retired ring's sends, when it is
     * destroyed).
     */
    @SuppressWarnings("deprecation")
    public void handle(final IoRegistration registration, final IoEvent event)
    {
        final IoUringIoEvent result = (IoUringIoEvent)event;
        final int entry = result.data() & 0xFFFF;
        final Session sender = senders[entry];
        if (sender == null)
        {
            return;
        }
        final ByteBuf head = heads[entry];
        final ByteBuf body = bodies[entry];
        senders[entry] = null;
        heads[entry] = null;
        bodies[entry] = null;
        try
        {
            sender.onBatchedWrite(head, body, result.res());
        }
        catch (final RuntimeException | Error ex)
        {
            // Only a failed copy of the frame's rest throws, after releasing the body; the connection cannot go on.
            sender.closeWithoutFrame();
            LOGGER.warn("Session {} closed: the rest of its batched send could not be written", sender.sessionId(), ex);
        }
    }

    /**
     * Nothing to close: {@link #destroy()} frees the ring.
     */
    public void close()
    {
    }

    /**
     * @return the sends queued since the ring was made (for tests).
     */
    long sendsQueued()
    {
        return sendsQueued;
    }

    /**
     * @return whether {@link #destroy()} has freed the ring (for tests).
     */
    boolean isDestroyed()
    {
        return destroyed;
    }

    /**
     * Frees the ring and its memory, on the loop's thread, as the loop's handler is destroyed: the ring reaps what the
     * kernel still answers first.
     */
    void destroy()
    {
        if (destroyed)
        {
            return;
        }
        destroyed = true;
        inBatch = false;
        ring.prepareToDestroy();
        ring.destroy();
        PlatformDependent.freeMemory(vectors);
    }

    @SuppressWarnings("deprecation")
    private static IoUringIoOps ops(
        final byte opcode, final int fd, final long address, final int length, final int flags, final int entry)
    {
        // Netty 4.2 has no public factory for a send, and deprecates this constructor (and the event's data()) while
        // its io_uring API settles: the entry travels as the operation's 16-bit data.
        return new IoUringIoOps(
            opcode, (byte)0, (short)0, fd, 0L, address, length, flags, (short)entry, (short)0, (short)0, 0, 0L);
    }
}
