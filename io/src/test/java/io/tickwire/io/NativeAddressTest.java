package io.tickwire.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A buffer's native address is that of the byte at the index asked for: a pooled buffer (a part of a larger chunk),
 * the default allocator's, a duplicate and a slice, a wrapped NIO buffer. The build runs this class with Netty's
 * {@code Unsafe} and without it (its without-unsafe run), where on Java 24 and earlier every address comes from the
 * NIO view.
 */
class NativeAddressTest
{
    @Test
    void theAddressOfAPooledBufferIsThatOfTheByteAtTheIndex()
    {
        final ByteBuf spacer = PooledByteBufAllocator.DEFAULT.directBuffer(100);
        final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        try
        {
            assertBytesAtAddresses(buffer);
        }
        finally
        {
            buffer.release();
            spacer.release();
        }
    }

    @Test
    void theAddressOfTheDefaultAllocatorsBufferIsThatOfTheByteAtTheIndex()
    {
        final ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(64, 64);
        try
        {
            assertBytesAtAddresses(buffer);
        }
        finally
        {
            buffer.release();
        }
    }

    @Test
    void theAddressOfADuplicateAndOfASliceIsThatOfTheByteAtTheIndex()
    {
        final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        final ByteBuf duplicate = buffer.retainedDuplicate();
        final ByteBuf slice = buffer.retainedSlice(32, 64);
        try
        {
            assertTrue(NativeAddress.has(duplicate) && NativeAddress.has(slice));
            assertBytesAtAddresses(duplicate);
            assertBytesAtAddresses(slice);
            assertEquals(NativeAddress.of(buffer, 32, 64), NativeAddress.of(slice, 0, 64), "the slice starts at 32");
        }
        finally
        {
            slice.release();
            duplicate.release();
            buffer.release();
        }
    }

    @Test
    void aHeapBufferHasNone()
    {
        assertFalse(NativeAddress.has(Unpooled.buffer(8)));
    }

    @Test
    void theAddressOfAWrappedNioBufferIsThatOfTheByteAtTheIndex()
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(64));
        try
        {
            assertBytesAtAddresses(buffer.clear());
        }
        finally
        {
            buffer.release();
        }
    }

    /**
     * Each byte written through the buffer is read back at its address, and a byte written at an address is read
     * through the buffer.
     */
    private static void assertBytesAtAddresses(final ByteBuf buffer)
    {
        final int length = 64;
        for (int index = 0; index < length; index++)
        {
            buffer.setByte(index, 0x40 + index);
        }
        for (final int index : new int[] {0, 1, 7, 63})
        {
            final long address = NativeAddress.of(buffer, index, length - index);
            assertEquals(0x40 + index, UnsafeApi.getByte(address), "byte " + index);
            UnsafeApi.putByte(address, (byte)0x11);
            assertEquals(0x11, buffer.getByte(index), "byte " + index + " written at its address");
        }
    }
}
