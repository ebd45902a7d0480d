package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoHandler;
import io.netty.channel.IoRegistration;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.util.internal.PlatformDependent;
import io.tickwire.io.NoWaitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoll event loop's batched snapshot writes. Within a drain of the loop's outbound queue ({@link #begin()} to
 * {@link #submit()}), a snapshot that would go straight to its socket is queued as an io_uring send instead, and
 * {@link #submit()} hands the whole batch to the kernel in one {@code io_uring_enter}: on this VM a {@code write(2)}
 * per client per tick was a third of the server's CPU (docs/PERFORMANCE.md, "Fourteenth pass").
 * <pre>
 *   a frame of one buffer:          IORING_OP_SEND   with MSG_DONTWAIT
 *   a header and a shared body:     IORING_OP_WRITEV with RWF_NOWAIT (the two iovecs in this ring's memory)
 * </pre>
 * Every send is non-blocking: a socket without room completes at once with {@code -EAGAIN} instead of being watched
 * by the kernel. So when {@link #submit()} returns, every send of the batch has its result, the kernel holds none of
 * the batch's memory, and what it did not take goes through the session's pipeline, as the rest of a direct write
 * does ({@link Session#onBatchedWrite}). A session's snapshot slot cannot change before that: the loop swaps it only
 * in the session's next write, in a later drain.
 * <p>
 * The ring is Netty's io_uring handler, made for and driven on the epoll loop's thread (its only issuer) through its
 * public API; no channel is registered with it. A send whose result the kernel did not give within the submission
 * (which a non-blocking send never leaves out) keeps what it reads, and its connection is closed.
 * <p>
 * Event loop only.
 */
final class SendRing implements IoUringIoHandle
{
    /** Sends queued at most before a submission: a larger drain is submitted in parts of this size. */
    static final int ENTRIES = 4096;
    /** Opcodes and flags of the kernel's io_uring ABI (include/uapi/linux/io_uring.h, socket.h, fs.h). */
    private static final byte IORING_OP_WRITEV = 2;
    private static final byte IORING_OP_SEND = 26;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int RWF_NOWAIT = 0x8;
    private static final int IOVEC_BYTES = 16;
    private static final Logger LOGGER = LoggerFactory.getLogger(SendRing.class);

    private final IoHandler ring;
    private final IoRegistration registration;
    /** Two iovecs per entry, for a frame of two buffers. */
    private final long vectors;
    private final Session[] senders = new Session[ENTRIES];
    private final ByteBuf[] heads = new ByteBuf[ENTRIES];
    private final ByteBuf[] bodies = new ByteBuf[ENTRIES];
    private int queued;
    private long sendsQueued;
    private boolean inBatch;
    private boolean destroyed;

    private SendRing(final IoHandler ring) throws Exception
    {
        this.ring = ring;
        ring.initialize();
        this.registration = ring.register(this);
        this.vectors = PlatformDependent.allocateMemory((long)ENTRIES * 2 * IOVEC_BYTES);
    }

    /**
     * Makes the ring of {@code eventLoop}, on that loop's thread.
     *
     * @throws Exception when the system refuses an io_uring (no native library, an old kernel,
     *                   {@code kernel.io_uring_disabled}, a seccomp filter).
     */
    static SendRing open(final EventLoop eventLoop) throws Exception
    {
        return new SendRing(IoUringIoHandler.newFactory(
            new IoUringIoHandlerConfig().setRingSize(ENTRIES).setCqSize(2 * ENTRIES)).newHandler(eventLoop));
    }

    /**
     * Opens a batch: sends are taken until {@link #submit()}.
     */
    void begin()
    {
        inBatch = !destroyed;
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
        if (queued == ENTRIES)
        {
            submitQueued();
        }
        final int entry = queued++;
        senders[entry] = session;
        heads[entry] = head;
        bodies[entry] = body;
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
        registration.submit(send);
        sendsQueued++;
        return true;
    }

    /**
     * @return the sends queued since the ring was made.
     */
    long sendsQueued()
    {
        return sendsQueued;
    }

    /**
     * @return whether {@link #destroy()} has freed the ring.
     */
    boolean isDestroyed()
    {
        return destroyed;
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
        if (queued == 0)
        {
            return;
        }
        ring.run(NoWaitContext.INSTANCE);
        for (int entry = 0; entry < queued; entry++)
        {
            final Session sender = senders[entry];
            if (sender != null)
            {
                senders[entry] = null;
                heads[entry] = null;
                bodies[entry] = null;
                LOGGER.error("A non-blocking send of session {} has no result after its submission; closing it, its " +
                    "frame's memory kept", sender.sessionId());
                sender.closeWithoutFrame();
            }
        }
        queued = 0;
    }

    /**
     * A send's result, during {@link #submitQueued()}.
     */
    @SuppressWarnings("deprecation")
    public void handle(final IoRegistration registration, final IoEvent event)
    {
        final IoUringIoEvent result = (IoUringIoEvent)event;
        final int entry = result.data() & 0xFFFF;
        final Session sender = senders[entry];
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
            // The session has closed its connection (its rest could not be copied); the batch goes on.
            LOGGER.warn("Session {} failed after a batched send", sender.sessionId(), ex);
        }
    }

    /**
     * Nothing to close: the ring's sends end within each submission, and {@link #destroy()} frees the ring.
     */
    public void close()
    {
    }

    /**
     * Frees the ring and its memory, on the loop's thread, when the loop shuts down.
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
