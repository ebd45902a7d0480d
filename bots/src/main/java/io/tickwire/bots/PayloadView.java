package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.tickwire.io.NativeAddress;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A view of one message payload held in a Netty buffer, as an {@link UnsafeBuffer} from index 0: over the buffer's
 * memory when it has an address or an array, otherwise over a copy in a reusable array that grows to the largest such
 * payload. One per event loop, shared by its bots: each view is valid only until the buffer is released or the next
 * {@link #wrap}.
 * <p>
 * Owned by its event loop. Allocates only when a payload without an address or array is longer than any before, and
 * when a derived buffer's address is read from its NIO view ({@link NativeAddress}: only without Netty's address).
 */
final class PayloadView
{
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private byte[] copy = new byte[0];

    /**
     * @param buffer holds the payload.
     * @param index  where the payload starts in {@code buffer}.
     * @param length the payload's length in bytes.
     * @return the shared view, holding the payload at index 0.
     */
    UnsafeBuffer wrap(final ByteBuf buffer, final int index, final int length)
    {
        if (NativeAddress.has(buffer))
        {
            view.wrap(NativeAddress.of(buffer, index, length), length);
        }
        else if (buffer.hasArray())
        {
            view.wrap(buffer.array(), buffer.arrayOffset() + index, length);
        }
        else
        {
            if (copy.length < length)
            {
                copy = new byte[BitUtil.findNextPositivePowerOfTwo(length)];
            }
            buffer.getBytes(index, copy, 0, length);
            view.wrap(copy, 0, length);
        }
        return view;
    }
}
