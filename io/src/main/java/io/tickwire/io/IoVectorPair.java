package io.tickwire.io;

import org.agrona.UnsafeApi;

/**
 * A vector of two entries of Linux's {@code struct iovec} on a 64-bit machine, written at a native address: each a
 * base address and a length of eight bytes. The gathering writes of a frame of two parts (a snapshot's own header and
 * its shared body) hand one to the kernel, through {@code writev(2)} or an io_uring {@code IORING_OP_WRITEV}; the
 * epoll and io_uring transports ship for 64-bit Linux alone.
 */
public final class IoVectorPair
{
    /** The bytes of one vector of two entries. */
    public static final int BYTES = 32;
    private static final int ENTRY_BYTES = 16;
    private static final int LENGTH_OFFSET = 8;

    private IoVectorPair()
    {
    }

    /**
     * Writes the vector at {@code vector}: {@code firstLength} bytes at {@code first}, then {@code secondLength} at
     * {@code second}.
     */
    public static void put(
        final long vector, final long first, final int firstLength, final long second, final int secondLength)
    {
        UnsafeApi.putLong(vector, first);
        UnsafeApi.putLong(vector + LENGTH_OFFSET, firstLength);
        UnsafeApi.putLong(vector + ENTRY_BYTES, second);
        UnsafeApi.putLong(vector + ENTRY_BYTES + LENGTH_OFFSET, secondLength);
    }
}
