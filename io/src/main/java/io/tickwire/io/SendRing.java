package io.tickwire.io;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandler;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.util.concurrent.ThreadAwareExecutor;
import org.agrona.UnsafeApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * One event loop's batched socket sends. Within a batch ({@link #begin()} to {@link #submit()}), a send that would
 * be a {@code write(2)} of its own is queued instead, and {@link #submit()} hands the whole batch to the kernel in
 * one {@code io_uring_enter}: on this VM a {@code write(2)} per client per tick was the largest single cost of a
 * client-tick, on the server's side and on the swarm's (docs/PERFORMANCE.md, "Fourteenth pass").
 * <pre>
 *   bytes at an address:                     IORING_OP_SEND   with MSG_DONTWAIT
 *   bytes copied into the ring's own memory: IORING_OP_SEND   with MSG_DONTWAIT
 *   two parts (a header and a shared body):  IORING_OP_WRITEV with RWF_NOWAIT (the two iovecs in the ring's memory)
 * </pre>
 * Every send is non-blocking: a socket without room completes at once with {@code -EAGAIN} instead of being watched
 * by the kernel. So when {@link #submit()} returns, every send of the batch has had its result, in
 * {@link Sender#onSent}, and the kernel holds none of the batch's memory. Until then the sender writes nothing else
 * on that socket, and neither closes it nor lets its memory change: the socket's byte order and the send's bytes
 * depend on it. A sender that must write or close before then calls {@link #submitQueued()} first.
 * <p>
 * The results are handed to the senders after the kernel has answered them all, in the order the sends were queued,
 * so a sender may act on its result: while they are handed out the ring takes no sends (the sender writes itself), and
 * a sender that calls {@link #submitQueued()} has the rest of the results handed out first. A sender that throws on
 * its result is logged and hears {@link Sender#onSendLost()}.
 * <p>
 * Should a submission fail, or a send have no result when its submission returns (a kernel that watches a
 * non-blocking send), the ring retires: it takes no more sends, it keeps what the kernel may still read (its copies;
 * the senders keep theirs), the senders of the sends without a result hear {@link Sender#onSendLost()}, and the loop
 * writes each send itself from then on. The ring is Netty's io_uring handler, made for and driven on the event loop's
 * thread (its only issuer) through its public API; no channel is registered with it. The ring's own memory (the
 * vectors and the copies) is Agrona's, not Netty's {@code PlatformDependent}'s, which needs {@code sun.misc.Unsafe}:
 * Netty 4.2 runs without it by default on Java 25 and later, where a ring that took its memory from Netty could not
 * be made, and every send went out by itself.
 * <p>
 * Event loop only.
 */
public final class SendRing implements IoUringIoHandle
{
    /** Sends queued at most before a submission, by default: a larger batch is submitted in parts of this size. */
    public static final int ENTRIES = 4096;

    /**
     * Whoever queued a send: a connection.
     */
    public interface Sender
    {
        /**
         * The send's result, while a submission runs the ring: what of the send the kernel did not take is the
         * sender's to write some other way, in order; the memory of a copy ({@link #offerCopy}) is still readable
         * now, and only now.
         *
         * @param result the bytes the kernel took, or a negative errno ({@code -EAGAIN}: the socket had no room).
         */
        void onSent(int result);

        /**
         * The ring retired with this send unanswered: the kernel may still send some of it, so the connection's
         * byte stream can no longer be trusted and must be closed.
         */
        void onSendLost();
    }

    /** Opcodes and flags of the kernel's io_uring ABI (include/uapi/linux/io_uring.h, socket.h, fs.h). */
    private static final byte IORING_OP_WRITEV = 2;
    private static final byte IORING_OP_SEND = 26;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int RWF_NOWAIT = 0x8;
    private static final long NO_SUBMISSION = 0;
    private static final Logger LOGGER = LoggerFactory.getLogger(SendRing.class);

    private final IoHandler ring;
    private final IoRegistration registration;
    private final int entries;
    /** Two iovecs per entry, for a send of two parts. */
    private final long vectors;
    /** The copies of {@link #offerCopy}, each until its submission returns. */
    private final long copies;
    private final int copyBytes;
    private final Sender[] senders;
    private final int[] results;
    private final boolean[] answered;
    private int queued;
    private int copied;
    /** Results of the current submission handed out so far, while {@link #delivering}. */
    private int delivered;
    /** Raised while the ring runs a submission: its results are recorded, and handed out once it returns. */
    private boolean running;
    private boolean delivering;
    private long sendsQueued;
    private boolean inBatch;
    private boolean retired;
    private boolean destroyed;

    private SendRing(final IoHandler ring, final int entries, final int copyBytes) throws Exception
    {
        this.ring = ring;
        this.entries = entries;
        this.copyBytes = copyBytes;
        this.senders = new Sender[entries];
        this.results = new int[entries];
        this.answered = new boolean[entries];
        ring.initialize();
        this.registration = ring.register(this);
        this.vectors = UnsafeApi.allocateMemory((long)entries * IoVectorPair.BYTES);
        try
        {
            this.copies = copyBytes == 0 ? 0 : UnsafeApi.allocateMemory(copyBytes);
        }
        catch (final OutOfMemoryError ex)
        {
            UnsafeApi.freeMemory(vectors);
            throw ex;
        }
    }

    /**
     * Makes the ring of the event loop {@code loop}, on that loop's thread.
     *
     * @param entries   sends queued at most before a submission (at most 65,536: an entry's number travels in 16
     *                  bits).
     * @param copyBytes memory for the copies of {@link #offerCopy} queued at most before a submission; 0 for none.
     * @throws Exception when the system refuses an io_uring (no native library, an old kernel,
     *                   {@code kernel.io_uring_disabled}, a seccomp filter); nothing is left open.
     */
    public static SendRing open(final ThreadAwareExecutor loop, final int entries, final int copyBytes)
        throws Exception
    {
        if (entries < 1 || entries > 1 << 16)
        {
            throw new IllegalArgumentException("entries must be in 1..65536: " + entries);
        }
        if (copyBytes < 0)
        {
            throw new IllegalArgumentException("copyBytes must not be negative: " + copyBytes);
        }
        final IoHandler ring = IoUringIoHandler.newFactory(
            new IoUringIoHandlerConfig().setRingSize(entries).setCqSize(2 * entries)).newHandler(loop);
        try
        {
            return new SendRing(ring, entries, copyBytes);
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
    public void begin()
    {
        inBatch = !retired && !destroyed;
    }

    /**
     * @return whether a batch is open and takes sends now.
     */
    public boolean isBatching()
    {
        return inBatch && !delivering;
    }

    /**
     * Queues a send of {@code length} bytes at {@code address} on the socket {@code fd}, if a batch is open; the
     * memory must stay as it is until {@link Sender#onSent}.
     *
     * @return whether it was queued; if not, nothing was taken and the sender writes it itself.
     */
    public boolean offer(final Sender sender, final int fd, final long address, final int length)
    {
        final int entry = nextEntry();
        return entry >= 0 && queue(sender, ops(IORING_OP_SEND, fd, address, length, MSG_DONTWAIT, entry));
    }

    /**
     * Queues one send of {@code firstLength} bytes at {@code first} then {@code secondLength} bytes at {@code second}
     * on the socket {@code fd}, if a batch is open; both stay as they are until {@link Sender#onSent}.
     *
     * @return whether it was queued; if not, nothing was taken and the sender writes it itself.
     */
    public boolean offer(
        final Sender sender,
        final int fd,
        final long first,
        final int firstLength,
        final long second,
        final int secondLength)
    {
        final int entry = nextEntry();
        if (entry < 0)
        {
            return false;
        }
        final long vector = vectors + (long)entry * IoVectorPair.BYTES;
        IoVectorPair.put(vector, first, firstLength, second, secondLength);
        return queue(sender, ops(IORING_OP_WRITEV, fd, vector, 2, RWF_NOWAIT, entry));
    }

    /**
     * Copies {@code length} bytes at {@code address} into the ring's memory and queues their send on the socket
     * {@code fd}, if a batch is open and the copy fits: for senders whose memory is reused before the batch ends.
     *
     * @return the copy's address, readable until the send's {@link Sender#onSent} returns; 0 when nothing was taken
     * and the sender writes it itself.
     */
    public long offerCopy(final Sender sender, final int fd, final long address, final int length)
    {
        if (!isBatching() || length > copyBytes)
        {
            return 0;
        }
        if (copied + length > copyBytes)
        {
            submitQueued();
        }
        final int entry = nextEntry();
        if (entry < 0)
        {
            return 0;
        }
        final long copy = copies + copied;
        UnsafeApi.copyMemory(address, copy, length);
        if (!queue(sender, ops(IORING_OP_SEND, fd, copy, length, MSG_DONTWAIT, entry)))
        {
            return 0;
        }
        copied += length;
        return copy;
    }

    /**
     * Submits what the batch queued, in one system call, and has each sender hear how much of its send went; closes
     * the batch.
     */
    public void submit()
    {
        inBatch = false;
        submitQueued();
    }

    /**
     * Submits what the batch queued so far, in one system call, and has each sender hear how much of its send went;
     * the batch stays open. For a sender that must write or close its socket before the batch ends. Called by a
     * sender hearing its result, it hands out the rest of that submission's results.
     */
    public void submitQueued()
    {
        if (delivering)
        {
            deliver();
            return;
        }
        if (queued == 0 || retired)
        {
            return;
        }
        running = true;
        try
        {
            ring.run(NoWaitContext.INSTANCE);
        }
        catch (final RuntimeException | Error ex)
        {
            running = false;
            retire("its submission failed: " + ex);
            return;
        }
        running = false;
        for (int entry = 0; entry < queued; entry++)
        {
            if (!answered[entry])
            {
                retire("a non-blocking send had no result when its submission returned");
                return;
            }
        }
        delivering = true;
        try
        {
            deliver();
        }
        finally
        {
            delivering = false;
            Arrays.fill(answered, 0, queued, false);
            delivered = 0;
            queued = 0;
            copied = 0;
        }
    }

    /**
     * Hands out the current submission's results not yet handed out, in the order their sends were queued.
     */
    private void deliver()
    {
        while (delivered < queued)
        {
            final int entry = delivered++;
            final Sender sender = senders[entry];
            senders[entry] = null;
            hear(sender, results[entry]);
        }
    }

    private static void hear(final Sender sender, final int result)
    {
        try
        {
            sender.onSent(result);
        }
        catch (final RuntimeException | Error ex)
        {
            LOGGER.warn("A sender failed on its send's result ({}); its connection is closed", result, ex);
            sender.onSendLost();
        }
    }

    /**
     * @return the entry the next send takes, once a full ring is submitted; -1 when no batch is open, its results are
     * being handed out, or the ring retired.
     */
    private int nextEntry()
    {
        if (!isBatching())
        {
            return -1;
        }
        if (queued == entries)
        {
            submitQueued();
        }
        return retired ? -1 : queued;
    }

    private boolean queue(final Sender sender, final IoUringIoOps send)
    {
        if (registration.submit(send) == NO_SUBMISSION)
        {
            return false;
        }
        senders[queued++] = sender;
        sendsQueued++;
        return true;
    }

    /**
     * Takes no more sends, keeps what the kernel may still read, hands out the results the kernel gave, and tells the
     * senders of the sends without one that their streams can no longer be trusted. Those sends' memory stays as it is
     * (the copies here, for as long as the ring lives), and a result that comes later, as the ring is destroyed, is
     * still handed to its sender.
     */
    private void retire(final String why)
    {
        retired = true;
        inBatch = false;
        LOGGER.error("An event loop's send ring retired ({}); the loop writes each send itself from now on", why);
        for (int entry = 0; entry < queued; entry++)
        {
            final Sender sender = senders[entry];
            if (sender != null && answered[entry])
            {
                senders[entry] = null;
                hear(sender, results[entry]);
            }
            else if (sender != null)
            {
                sender.onSendLost();
            }
        }
    }

    /**
     * A send's result: recorded while {@link #submitQueued()} runs the ring, handed to its sender at once when it
     * comes later, for a retired ring's send as the ring is destroyed.
     */
    @SuppressWarnings("deprecation")
    public void handle(final IoRegistration registration, final IoEvent event)
    {
        final IoUringIoEvent result = (IoUringIoEvent)event;
        final int entry = result.data() & 0xFFFF;
        final Sender sender = senders[entry];
        if (sender == null)
        {
            return;
        }
        if (running)
        {
            results[entry] = result.res();
            answered[entry] = true;
            return;
        }
        senders[entry] = null;
        hear(sender, result.res());
    }

    /**
     * Nothing to close: {@link #destroy()} frees the ring.
     */
    public void close()
    {
    }

    /**
     * @return the sends queued since the ring was made.
     */
    public long sendsQueued()
    {
        return sendsQueued;
    }

    /**
     * @return whether {@link #destroy()} has freed the ring.
     */
    public boolean isDestroyed()
    {
        return destroyed;
    }

    /**
     * Frees the ring and its memory, on the loop's thread, as the loop's handler is destroyed: the ring reaps what the
     * kernel still answers first.
     */
    public void destroy()
    {
        if (destroyed)
        {
            return;
        }
        destroyed = true;
        inBatch = false;
        ring.prepareToDestroy();
        ring.destroy();
        UnsafeApi.freeMemory(vectors);
        if (copies != 0)
        {
            UnsafeApi.freeMemory(copies);
        }
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
