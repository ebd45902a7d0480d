package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;

/**
 * One of a connection's three snapshot slots: memory of its own holding one snapshot's WebSocket frame (with a body
 * shared with other connections, the frame's start: its header and this connection's snapshot header), and its
 * reference to that body. A {@link Session}'s three slots change hands, never their contents: the shard fills the one
 * it holds and swaps it into the session's pending slot, taking back what was there; the event loop swaps the one it
 * last wrote into the pending slot and writes what it takes, if {@link #isFresh() fresh}. So a snapshot costs no
 * buffer from the allocator, no leak tracking and no release on another thread, where a pooled buffer per snapshot
 * cost all three.
 * <p>
 * The memory is the JDK's direct memory, grown to the power of two at or above the largest frame the connection
 * was sent (a snapshot is bounded by the room's entity cap, {@code SnapshotFanOut.maxFrameLength}) and freed with
 * the session by the garbage collector: nothing to release at a close, on whichever thread. Both sides use it by
 * the address and lengths kept here: the shard writes the frame at {@link #address()}, and the loop hands the
 * kernel {@link #address()} and {@link #length()}. The {@link ByteBuf} over the memory is one more object, a cache
 * miss per snapshot on whichever side touches it, so only the rare paths do: growing the memory, and
 * {@link #frame()} when the kernel does not take a frame whole or the frame goes through the pipeline. Owned by
 * whichever thread holds it; the session's atomic swaps hand it over.
 */
final class SnapshotSlot
{
    private static final int MIN_CAPACITY = 256;
    private ByteBuf frame = Unpooled.EMPTY_BUFFER;
    /** The memory's native address, kept so neither side reads it through {@link #frame}. */
    private long address;
    /** The memory's size, kept so a fill checks it without touching {@link #frame}. */
    private int capacity;
    /** The length of the frame's start last filled: its header and the payload bytes filled here. */
    private int frameStartLength;
    private ByteBuf body;
    private boolean fresh;

    /**
     * Fills the slot with the start of a binary frame of {@code frameLength} payload bytes: its header and the first
     * {@code length} bytes of the payload; {@link #attachBody} adds the rest, or {@code length == frameLength}. Marks
     * it fresh.
     */
    void fill(final DirectBuffer payload, final int offset, final int length, final int frameLength)
    {
        final int needed = OutboundFrames.frameStartCapacity(length);
        if (capacity < needed)
        {
            final ByteBuffer memory =
                ByteBuffer.allocateDirect(Math.max(MIN_CAPACITY, Integer.highestOneBit(needed - 1) << 1));
            frame = Unpooled.wrappedBuffer(memory);
            address = BufferUtil.address(memory);
            capacity = memory.capacity();
        }
        frameStartLength = OutboundFrames.putFrameStart(address, payload, offset, length, frameLength);
        fresh = true;
    }

    /**
     * Adds this connection's reference to a shared body, which the slot then owns.
     */
    void attachBody(final ByteBuf sharedBody)
    {
        body = sharedBody;
    }

    /**
     * @return whether the slot holds a snapshot not yet taken for writing.
     */
    boolean isFresh()
    {
        return fresh;
    }

    /**
     * @return the native address of the frame's start; valid until the slot is filled again.
     */
    long address()
    {
        return address;
    }

    /**
     * @return the length of the frame's start: its header and the payload bytes filled here, not the body.
     */
    int length()
    {
        return frameStartLength;
    }

    /**
     * @return the frame's start as a buffer over the slot's memory, to be written from its reader index; the slot
     * keeps the memory. Its holder only; each call sets the indices to the whole frame last filled.
     */
    ByteBuf frame()
    {
        return frame.setIndex(0, frameStartLength);
    }

    /**
     * Takes the snapshot for writing: it is no longer fresh, and the caller owns the body reference (or null).
     */
    ByteBuf take()
    {
        fresh = false;
        final ByteBuf taken = body;
        body = null;
        return taken;
    }

    /**
     * Drops the snapshot unwritten (replaced by a newer one, or its connection closed): releases the body reference.
     */
    void drop()
    {
        final ByteBuf dropped = take();
        if (dropped != null)
        {
            dropped.release();
        }
    }
}
