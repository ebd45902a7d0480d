package io.tickwire.io;

import io.netty.buffer.ByteBuf;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;

/**
 * The native address of a Netty direct buffer's bytes, for the code that hands memory to the kernel or writes it by
 * address: Netty's own ({@link ByteBuf#memoryAddress()}) exists only while Netty runs with {@code sun.misc.Unsafe},
 * which Netty 4.2 leaves off by default on Java 25 and later ({@code -Dio.netty.noUnsafe=true} does the same on
 * any version); the buffer's NIO view has an address either way.
 */
public final class NativeAddress
{
    private NativeAddress()
    {
    }

    /**
     * @return the native address of a direct buffer's byte at {@code index}, where {@code length} bytes from it are
     * then read or written: its memory address, or, when Netty has none for it, its NIO buffer's. The buffer must be
     * direct and of one piece.
     */
    public static long of(final ByteBuf buffer, final int index, final int length)
    {
        if (buffer.hasMemoryAddress())
        {
            return buffer.memoryAddress() + index;
        }
        final ByteBuffer target = buffer.internalNioBuffer(index, length);
        return BufferUtil.address(target) + target.position();
    }
}
