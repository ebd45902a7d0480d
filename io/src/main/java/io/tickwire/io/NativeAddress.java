package io.tickwire.io;

import io.netty.buffer.ByteBuf;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;

/**
 * The native address of a Netty direct buffer's bytes, for the code that hands memory to the kernel or reads and
 * writes it by address. Netty's own ({@link ByteBuf#memoryAddress()}) is missing for some buffers: for every direct
 * buffer while Netty runs without {@code sun.misc.Unsafe} on Java 24 or earlier ({@code -Dio.netty.noUnsafe=true}),
 * and on Java 25 and later, where Netty 4.2 leaves {@code Unsafe} off by default, for buffers over memory Netty did
 * not allocate (a wrapped NIO buffer). A direct buffer of one piece has its NIO view's address either way.
 * <p>
 * Without Netty's address, {@link #of} reads the address from the buffer's NIO view, which a derived buffer (a
 * duplicate, a slice) makes anew on each call: that path allocates.
 */
public final class NativeAddress
{
    private NativeAddress()
    {
    }

    /**
     * @return whether {@link #of} gives this buffer's address: Netty has one for it, or it is direct and of one piece.
     */
    public static boolean has(final ByteBuf buffer)
    {
        return buffer.hasMemoryAddress() || buffer.isDirect() && buffer.nioBufferCount() == 1;
    }

    /**
     * @return the native address of the byte at {@code index} of a buffer that {@link #has} one, where {@code length}
     * bytes from it are then read or written: Netty's address, or its NIO buffer's.
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
