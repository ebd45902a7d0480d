package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;
import io.tickwire.api.Identity;
import io.tickwire.api.LeaveReason;
import io.tickwire.io.NativeAddress;
import io.tickwire.io.SendRing;
import io.tickwire.net.pipeline.CloseAfterCloseFrame;
import io.tickwire.sim.ClientLink;
import io.tickwire.sim.SharedSnapshotBody;
import org.agrona.DirectBuffer;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * One client connection as a shard sees it: the mailbox between the shard that owns the client's room and the
 * event loop that owns the channel. The shard offers frames (already framed for WebSocket) from its thread; the
 * event loop writes them in {@link #writeOutbound()}.
 * <ul>
 *   <li>Snapshots: a single pending slot. A newer snapshot replaces an unwritten one (conflation), so a stalled
 *   client holds at most one unwritten snapshot, and a connection's snapshot memory is its three slots. A snapshot
 *   is framed into one of the connection's three {@link SnapshotSlot}s (the shard's, the pending one, the loop's),
 *   which are swapped, not allocated: the whole frame, or its own header plus a reference to a body shared with
 *   other connections, released when the snapshot is written, replaced or dropped, the bytes freed when no
 *   connection holds them.</li>
 *   <li>Control frames and the close request: a FIFO, written before the snapshot slot.</li>
 * </ul>
 */
public final class Session implements ClientLink, SendRing.Sender
{
    /** How long a close frame may wait behind unread bytes before the connection is closed without it. */
    static final long CLOSE_GRACE_MS = CloseAfterCloseFrame.GRACE_MS;
    private static final VarHandle PENDING_SNAPSHOT;
    private static final VarHandle CONTROL_PENDING;
    private static final VarHandle SNAPSHOT_RANK;
    private static final VarHandle ENQUEUED;

    static
    {
        try
        {
            PENDING_SNAPSHOT = MethodHandles.lookup().findVarHandle(
                Session.class, "pendingSnapshot", SnapshotSlot.class);
            CONTROL_PENDING = MethodHandles.lookup().findVarHandle(Session.class, "controlPending", boolean.class);
            SNAPSHOT_RANK = MethodHandles.lookup().findVarHandle(Session.class, "snapshotRank", long.class);
            ENQUEUED = MethodHandles.lookup().findVarHandle(Session.class, "enqueued", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The identity the upgrade guard verified, on the channel until the session takes it. */
    public static final AttributeKey<Identity> IDENTITY = AttributeKey.valueOf("tickwire.identity");
    /** Clustered: the seat the upgrade guard verified the connection for, on the channel until the session takes it. */
    public static final AttributeKey<ReservedSeat> RESERVED_SEAT = AttributeKey.valueOf("tickwire.reservedSeat");

    private final long sessionId;
    private final Channel channel;
    private final ChannelOutboundInvoker frameWriter;
    /** The connection's socket, written directly while its outbound buffer is empty; null under TLS or NIO. */
    private final FileDescriptor socket;
    private final EventLoopOutbound outbound;
    /**
     * The channel's event loop and outbound buffer, kept so a write does not reach them through the channel and its
     * {@code Unsafe}, two cache lines per client per tick. Netty makes the outbound buffer with the channel and never
     * replaces it; it drops it at the close, after which this session writes nothing through it.
     */
    private final EventLoop eventLoop;
    private final ChannelOutboundBuffer outboundBuffer;
    /** The channel's allocator, kept here so a shard does not read it through the channel's config per frame. */
    private final ByteBufAllocator allocator;
    private final NetCounters counters;
    private final MpscUnboundedXaddArrayQueue<Object> controlFrames = new MpscUnboundedXaddArrayQueue<>(16);
    /**
     * Raised while the session waits in its loop's queue, so it is queued once. A field of the session, not an object
     * of its own: the shard's offer and the loop's write touch the session anyway, and an {@code AtomicBoolean} was a
     * cache line more for each of them, per client per tick.
     */
    @SuppressWarnings("unused")
    private volatile boolean enqueued;
    /**
     * Raised after a control frame is queued: the writer polls the queue (another object, often cold) only then.
     */
    private volatile boolean controlPending;
    private volatile boolean closing;
    private volatile boolean channelClosed;
    /**
     * The channel's writability, copied by its event loop whenever it changes: the shard asks every tick, and the
     * channel's outbound buffer, where Netty keeps it, is a cache line the shard touches for nothing else.
     */
    private volatile boolean writable;
    private boolean closeFrameWritten;
    /**
     * The slot whose frame the loop's {@link SendRing} holds, from its offer to its result, within one drain (the
     * frame's second part, the session's to release, in {@link #ringSecond}); null when it holds none. While it is
     * set the kernel may still read the slot's memory, so nothing else is written and no slot is swapped. Loop only.
     */
    private SnapshotSlot ringSlot;
    private ByteBuf ringSecond;
    private volatile LeaveReason closeReason = LeaveReason.DISCONNECTED;
    private volatile boolean mayResume = true;
    /**
     * The pending slot: the snapshot offered and not yet taken if {@link SnapshotSlot#isFresh() fresh}, else the slot
     * the loop last wrote, free for the shard. Swapped by both, never null.
     */
    @SuppressWarnings("unused")
    private volatile SnapshotSlot pendingSnapshot = new SnapshotSlot();
    /** The slot the shard fills next. Shard thread only. */
    private SnapshotSlot offerSlot = new SnapshotSlot();
    /** The slot the loop took last, written or dropped. The loop's, or the single drainer's after it terminated. */
    private SnapshotSlot writeSlot = new SnapshotSlot();
    /** The rank {@link #rankNextSnapshot} gave the snapshot the shard offers next. Shard thread only. */
    private long nextSnapshotRank = UNRANKED;
    /**
     * The pending snapshot's rank in its loop's batch: set by the shard's offer before it enqueues this session, so
     * the loop, which takes the session from the queue after it, reads it. An offer that replaces an unwritten
     * snapshot keeps the lower of the two ranks: the replaced one's inputs reach the client with the new one. Opaque:
     * when a control frame enqueued the session earlier, or the loop takes a snapshot while it is replaced, the loop
     * may read the rank of another snapshot, which only orders that one write differently; a session enqueued for a
     * control frame alone keeps the rank of its last snapshot, likewise.
     */
    @SuppressWarnings("unused")
    private long snapshotRank = UNRANKED;
    private Identity identity;
    private ReservedSeat reservedSeat;

    /**
     * @param frameWriter where pre-framed buffers are written: the context of the WebSocket frame encoder, so they
     *                    go straight toward the socket instead of through every outbound handler of the pipeline,
     *                    or the channel when there is no encoder.
     * @param socket      the connection's socket when frames may be written to it directly (a plain, epoll
     *                    connection: no handler between the encoder and the socket changes the bytes), or null.
     */
    Session(
        final long sessionId,
        final Channel channel,
        final ChannelOutboundInvoker frameWriter,
        final FileDescriptor socket,
        final EventLoopOutbound outbound,
        final NetCounters counters)
    {
        this.sessionId = sessionId;
        this.channel = channel;
        this.frameWriter = frameWriter;
        this.socket = socket;
        this.outbound = outbound;
        this.eventLoop = channel.eventLoop();
        this.outboundBuffer = channel.unsafe().outboundBuffer();
        this.allocator = channel.alloc();
        this.counters = counters;
        this.writable = channel.isWritable();
        channel.closeFuture().addListener(closed -> onChannelClosed());
    }

    public long sessionId()
    {
        return sessionId;
    }

    /**
     * @return the identity verified at the handshake, or null when the server does not authenticate. Event loop.
     */
    public Identity identity()
    {
        return identity;
    }

    /**
     * Sets the verified identity; on the event loop, before the session is handed to any shard.
     */
    void identity(final Identity verified)
    {
        this.identity = verified;
    }

    /**
     * @return clustered: the reservation (or resume) the connection was opened with, which its JOIN must match; null
     * on a single node. Event loop.
     */
    public ReservedSeat reservedSeat()
    {
        return reservedSeat;
    }

    /**
     * Sets the verified reservation; on the event loop, before the session is handed to any shard.
     */
    void reservedSeat(final ReservedSeat seat)
    {
        this.reservedSeat = seat;
    }

    /**
     * @return false once the session is closing or its channel closed. The channel's close marks the session closing
     * as it happens (its close future's listener runs in the close, on the event loop), so neither the loop's check
     * of each input nor the shard's of each client touches the channel, a cache line of its own.
     */
    public boolean isOpen()
    {
        return !closing;
    }

    public boolean isWritable()
    {
        return writable;
    }

    /**
     * Copies the channel's writability, on its event loop, when it changed.
     */
    public void onWritabilityChanged()
    {
        writable = channel.isWritable();
    }

    public void rankNextSnapshot(final long rank)
    {
        nextSnapshotRank = rank;
    }

    /**
     * @return the rank of the snapshot waiting, as its shard gave it. Event loop.
     */
    long snapshotRank()
    {
        return (long)SNAPSHOT_RANK.getOpaque(this);
    }

    public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        offerSlot.fill(buffer, offset, length, length);
        return offer();
    }

    /**
     * Offers a snapshot whose body is shared with other connections: this connection's frame and snapshot headers
     * are copied into its slot, and it takes its own reference to the body's buffer, so the two go out as one
     * gathering write without the body being copied per connection. Shard thread.
     */
    public boolean offerSnapshot(
        final DirectBuffer header, final int headerOffset, final int headerLength, final SharedSnapshotBody body)
    {
        if (!(body instanceof PooledSnapshotBodies.Body))
        {
            return ClientLink.super.offerSnapshot(header, headerOffset, headerLength, body);
        }
        offerSlot.fill(header, headerOffset, headerLength, headerLength + body.length());
        offerSlot.attachBody(((PooledSnapshotBodies.Body)body).retainedDuplicate());
        return offer();
    }

    /**
     * Swaps the filled slot into the pending one, to be written after the shard's flush ({@link EventLoopOutbounds}),
     * and keeps what it replaces to fill next: an unwritten snapshot, dropped (conflated), or the slot the loop last
     * wrote, which the loop marked taken before it swapped it in.
     */
    private boolean offer()
    {
        final SnapshotSlot replaced = (SnapshotSlot)PENDING_SNAPSHOT.getAndSet(this, offerSlot);
        final boolean conflated = replaced.isFresh();
        final long rank = nextSnapshotRank;
        nextSnapshotRank = UNRANKED;
        SNAPSHOT_RANK.setOpaque(this, conflated ? Math.min(rank, (long)SNAPSHOT_RANK.getOpaque(this)) : rank);
        if (conflated)
        {
            replaced.drop();
        }
        offerSlot = replaced;
        if (ENQUEUED.compareAndSet(this, false, true))
        {
            outbound.enqueueDeferred(this);
        }
        return !conflated;
    }

    public void sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        offerControl(OutboundFrames.binaryFrame(allocator, buffer, offset, length));
    }

    /**
     * Writes a control frame at once, on the event loop (off it, queues it as {@link #sendControl} does): a pong, as
     * its ping is read. When nothing waits to be written before it, it is framed in the loop's scratch memory and
     * written from there (no buffer from the allocator: at a ping a second per client, the pooled frame and its
     * release cost more than the write); else it is queued behind what waits, and written.
     */
    public void writeControlNow(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!eventLoop.inEventLoop())
        {
            // Only the loop writes: queued, and written by the drain this schedules.
            sendControl(buffer, offset, length);
            return;
        }
        final SendRing ring = outbound.sendRing();
        if (controlPending || ringSlot != null || channelClosed || closeFrameWritten ||
            ring != null && ring.isBatching() ||
            OutboundFrames.frameStartCapacity(length) > EventLoopOutbound.CONTROL_SCRATCH_BYTES)
        {
            sendControl(buffer, offset, length);
            writeOutbound();
            return;
        }
        final ByteBuf frame = outbound.controlScratch();
        OutboundFrames.writeFrameStart(frame, buffer, offset, length, length);
        if (write(null, frame, false, null))
        {
            frameWriter.flush();
        }
    }

    public void close(final int statusCode, final String reason)
    {
        closing = true;
        offerControl(new CloseWebSocketFrame(statusCode, reason));
    }

    /**
     * Queues a control frame, then raises {@link #controlPending}: the writer, which clears the flag atomically
     * before it drains the queue, either sees this frame or leaves the flag raised for the write this thread's
     * {@link #scheduleWrite} brings.
     */
    private void offerControl(final Object frame)
    {
        controlFrames.offer(frame);
        controlPending = true;
        scheduleWrite();
    }

    /**
     * Marks the session closing from its event loop, so shards stop sending to it and its inputs are dropped at once.
     */
    public void markClosing()
    {
        closing = true;
        writable = false;
    }

    /**
     * Records the channel's close, in it: from then on nothing is written and no input is taken.
     */
    private void onChannelClosed()
    {
        channelClosed = true;
        markClosing();
    }

    /**
     * Records, on the event loop, that a close frame was written to the connection, by this session or by another
     * handler (the frame guard closing a flooder): nothing is written after it, even while the close frame waits in
     * the outbound buffer of a client that does not read; what waits is released.
     */
    public void onCloseFrameWritten()
    {
        closing = true;
        writable = false;
        closeFrameWritten = true;
    }

    /**
     * Records, on the event loop, that the connection is being closed for an idle timeout, before it is closed: the
     * shard may find it closed before the CLOSED event arrives, and must still see why.
     */
    public void markIdle()
    {
        closeReason = LeaveReason.IDLE;
    }

    public LeaveReason closeReason()
    {
        return closeReason;
    }

    /**
     * Records that the server closes this connection for a protocol violation, or because its room moved to another
     * node: its player does not keep a seat for a resume. Any thread (volatile), before the close.
     */
    public void markNoResume()
    {
        mayResume = false;
    }

    public boolean mayResume()
    {
        return mayResume;
    }

    /**
     * Writes what is waiting, control frames first, and flushes once if any of it went through the pipeline (the
     * rest went straight to the socket). Event loop only, or, once the event loop has terminated with its channels
     * closed, the shard that found it so (which then only releases). The snapshot slot is taken before the control
     * frames are drained: a control frame queued before that snapshot is then sure to be drained with it and written
     * first. Nothing is written after a close frame, and the channel is closed once
     * the close frame is written, or after {@link #CLOSE_GRACE_MS} if the peer does not read it; after the channel
     * closed, what is waiting is released instead.
     */
    public void writeOutbound()
    {
        if (ringSlot != null)
        {
            // A second entry of this session in the drain's batch (a control frame's write on the loop left it
            // queued): the first wrote all that waited then, and what came since has an entry of its own.
            return;
        }
        ENQUEUED.setVolatile(this, false);
        // Off the loop (a drainer after it terminated) nothing is written: its close may not have been seen here.
        boolean open = !channelClosed && !closeFrameWritten && eventLoop.inEventLoop();
        if (writeSlot.isFresh())
        {
            // A write that threw left its snapshot untaken: dropped, or it would go out after a newer one.
            writeSlot.drop();
        }
        final SnapshotSlot snapshot = (SnapshotSlot)PENDING_SNAPSHOT.getAndSet(this, writeSlot);
        writeSlot = snapshot;
        boolean queued = false;
        Object control;
        final boolean controlQueued = controlPending && (boolean)CONTROL_PENDING.getAndSet(this, false);
        while (controlQueued && (control = controlFrames.poll()) != null)
        {
            if (!open)
            {
                release(control);
            }
            else if (control instanceof CloseWebSocketFrame)
            {
                channel.writeAndFlush(control).addListener(CloseAfterCloseFrame.INSTANCE);
                eventLoop.schedule(this::closeChannel, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
                open = false;
            }
            else
            {
                queued |= write(null, (ByteBuf)control, true, null);
            }
        }

        if (snapshot.isFresh())
        {
            if (open && !closing)
            {
                final ByteBuf body = snapshot.take();
                queued |= write(snapshot, null, false, body);
            }
            else
            {
                snapshot.drop();
            }
        }

        if (queued)
        {
            frameWriter.flush();
        }
    }

    /**
     * Closes the channel when its close frame could not be written within the grace period: a peer that does not
     * read would otherwise hold it open.
     */
    private void closeChannel()
    {
        channel.close();
    }

    /**
     * Closes the connection at once, without a close frame: for a connection whose bytes can no longer be trusted.
     * Event loop only.
     */
    void closeWithoutFrame()
    {
        closeChannel();
    }

    /**
     * Writes a frame of one or two parts, taking ownership of {@code second}: straight to the socket when nothing
     * waits in the outbound buffer (so the bytes keep their order), else, or for what the kernel did not take, or
     * when the socket failed, through the pipeline. Straight to the socket is, for a snapshot in a drain of a loop
     * that batches its writes, a send queued in the loop's {@link SendRing}, whose result comes back in
     * {@link #onSent} before the drain ends; else a {@code write(2)} now. A snapshot's first part is its slot's
     * memory, handed to the kernel by address: the slot's buffer is touched only for what goes through the pipeline.
     *
     * @param slot       the slot whose frame start is the first part, or null when {@code first} is.
     * @param first      the first part when there is no slot.
     * @param firstOwned whether the caller hands {@code first} over; else it stays the caller's (the loop's scratch
     *                   memory), and what of it goes through the pipeline goes as a copy, as a slot's does.
     * @param second     the frame's second part, or null.
     * @return whether any of it went to the pipeline, which must then be flushed.
     */
    private boolean write(final SnapshotSlot slot, final ByteBuf first, final boolean firstOwned, final ByteBuf second)
    {
        final int firstLength = slot != null ? slot.length() : first.readableBytes();
        final int secondLength = second == null ? 0 : second.readableBytes();
        counters.framesWritten.increment();
        counters.bytesWritten.add(firstLength + secondLength);
        long taken = 0;
        // Netty closes the socket on the loop (no SO_LINGER is set here: with it, Netty would close it on another
        // thread) and marks it closed before close(2), so a closed socket, whose number may be reused, is never
        // written whatever the kept outbound buffer says.
        if (socket != null && eventLoop.inEventLoop() && socket.isOpen() && nothingQueued())
        {
            final long firstAddress = slot != null ? slot.address() : addressOf(first);
            final long secondAddress = secondLength == 0 ? 0 : addressOf(second);
            if (firstAddress != 0 && (secondLength == 0 || secondAddress != 0))
            {
                final SendRing ring = outbound.sendRing();
                if (slot != null && ring != null && ring.isBatching() && (secondLength == 0 ?
                    ring.offer(this, socket.intValue(), firstAddress, firstLength) :
                    ring.offer(this, socket.intValue(), firstAddress, firstLength, secondAddress, secondLength)))
                {
                    ringSlot = slot;
                    ringSecond = second;
                    return false;
                }
                try
                {
                    taken = outbound.socketWriter()
                        .write(socket, firstAddress, firstLength, secondAddress, secondLength);
                }
                catch (final IOException | RuntimeException ex)
                {
                    // The pipeline's write of the rest fails the same way, and closes the channel as Netty reports it.
                }
            }
        }
        return writeUntaken(slot, first, firstOwned, firstLength, second, secondLength, taken);
    }

    /**
     * @return the native address of a buffer's readable bytes ({@link NativeAddress#of}), or 0 for a buffer
     * in the heap or of several pieces, which goes through the pipeline.
     */
    private static long addressOf(final ByteBuf buffer)
    {
        return NativeAddress.has(buffer) ? NativeAddress.of(buffer, buffer.readerIndex(), buffer.readableBytes()) : 0;
    }

    /**
     * Finishes a frame of which the kernel took {@code taken} bytes, taking ownership of {@code second}: when that
     * was all of it, releases what the session owns of it; else what is left goes through the pipeline, the first
     * part from the slot's buffer (as a copy) when there is a slot, else from {@code first}.
     *
     * @return whether anything went to the pipeline, which must then be flushed.
     */
    private boolean writeUntaken(
        final SnapshotSlot slot,
        final ByteBuf first,
        final boolean firstOwned,
        final int firstLength,
        final ByteBuf second,
        final int secondLength,
        final long taken)
    {
        if (taken == (long)firstLength + secondLength)
        {
            if (firstOwned)
            {
                first.release();
            }
            if (second != null)
            {
                second.release();
            }
            return false;
        }
        final ByteBuf rest = slot != null ? slot.frame() : first;
        final int fromFirst = (int)Math.min(taken, firstLength);
        rest.skipBytes(fromFirst);
        if (taken > fromFirst)
        {
            second.skipBytes((int)(taken - fromFirst));
        }
        writeRest(rest, firstOwned, second);
        return true;
    }

    /**
     * A batched send's result ({@link SendRing}), on the loop before its drain ends: what the kernel did not take of
     * the frame's first part then its second goes through the pipeline, flushed, as the rest of a direct write does; a
     * failed send ({@code sent} below 0: the socket is full, reset or closed) took nothing, and the pipeline's write
     * then fails the same way and closes the channel as Netty reports it. Should the rest's copy fail, the connection
     * is closed: part of the frame may be on the wire.
     *
     * @param sent the bytes the kernel took, or a negative errno.
     */
    public void onSent(final int sent)
    {
        final SnapshotSlot slot = ringSlot;
        if (slot == null)
        {
            return;
        }
        final ByteBuf second = ringSecond;
        ringSlot = null;
        ringSecond = null;
        if (writeUntaken(slot, null, false, slot.length(), second, second == null ? 0 : second.readableBytes(),
            Math.max(sent, 0)))
        {
            frameWriter.flush();
        }
    }

    /**
     * The loop's ring retired with this session's frame unanswered: the connection is closed, and the session keeps
     * its slots (the kernel may still read the frame's) and so writes nothing more.
     */
    public void onSendLost()
    {
        closeWithoutFrame();
    }

    /**
     * Writes what is left of a frame through the pipeline, taking ownership of {@code second}; the caller flushes.
     */
    private void writeRest(final ByteBuf first, final boolean firstOwned, final ByteBuf second)
    {
        if (first.isReadable())
        {
            final ByteBuf rest;
            try
            {
                rest = firstOwned ? first : allocator.directBuffer(first.readableBytes()).writeBytes(first);
            }
            catch (final RuntimeException | Error ex)
            {
                // No copy of the rest (out of direct memory): part of the frame may be on the wire already, so the
                // connection cannot go on.
                if (second != null)
                {
                    second.release();
                }
                channel.close();
                throw ex;
            }
            frameWriter.write(rest, channel.voidPromise());
        }
        else if (firstOwned)
        {
            first.release();
        }
        if (second != null)
        {
            frameWriter.write(second, channel.voidPromise());
        }
    }

    private boolean nothingQueued()
    {
        return outboundBuffer != null && outboundBuffer.totalPendingWriteBytes() == 0;
    }

    /**
     * Has the event loop write this session's control frames soon: a session already enqueued behind a snapshot
     * waiting for its shard's flush has the flush brought forward. Only while a shard is between enqueuing this
     * session and marking its loop's queue for the flush does a control frame wait, for that shard's flush at the end
     * of its fan-out.
     */
    private void scheduleWrite()
    {
        if (ENQUEUED.compareAndSet(this, false, true))
        {
            outbound.enqueue(this);
        }
        else
        {
            outbound.flushDeferred();
        }
    }

    private static void release(final Object frame)
    {
        if (frame instanceof ByteBuf)
        {
            ((ByteBuf)frame).release();
        }
        else
        {
            ((CloseWebSocketFrame)frame).release();
        }
    }
}
