package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An allocator that remembers every buffer it handed out, from any thread, so a test can check each one was
 * released (or is still owned by whoever it was written to).
 */
final class RecordingAllocator extends AbstractByteBufAllocator
{
    private final Queue<ByteBuf> allocated = new ConcurrentLinkedQueue<>();

    RecordingAllocator()
    {
        super(true);
    }

    public boolean isDirectBufferPooled()
    {
        return false;
    }

    protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
    {
        final ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        allocated.add(buffer);
        return buffer;
    }

    protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
    {
        final ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        allocated.add(buffer);
        return buffer;
    }

    List<ByteBuf> allocated()
    {
        return new ArrayList<>(allocated);
    }

    /**
     * @return the buffers handed out that are not yet released.
     */
    List<ByteBuf> unreleased()
    {
        final List<ByteBuf> unreleased = new ArrayList<>();
        for (final ByteBuf buffer : allocated)
        {
            if (buffer.refCnt() != 0)
            {
                unreleased.add(buffer);
            }
        }
        return unreleased;
    }
}
