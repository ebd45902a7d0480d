package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.io.NativeAddress;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;

/**
 * Builds server-to-client WebSocket binary frames in one buffer (a pooled one, or a session's snapshot slot): the
 * frame header (FIN, binary opcode, unmasked payload length, RFC 6455 section 5.2) followed by the payload copied
 * from a shard's Agrona buffer.
 * A buffer framed here is written as a plain {@link ByteBuf} from the WebSocket encoder's context after the
 * handshake, so it goes straight toward the socket: no frame object, no second buffer and no walk through the
 * pipeline's other outbound handlers per write.
 * <p>
 * Thread safe: any thread may frame.
 */
public final class OutboundFrames
{
    private static final int FIN_BINARY = 0x82;
    private static final int MAX_HEADER_LENGTH = 10;
    /** Whether native stores are in network order already; else a frame's length is stored byte-reversed. */
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private OutboundFrames()
    {
    }

    /**
     * @return a new buffer holding one complete binary frame with {@code length} bytes of {@code payload}; the
     * caller owns it.
     */
    public static ByteBuf binaryFrame(
        final ByteBufAllocator allocator, final DirectBuffer payload, final int offset, final int length)
    {
        return frameStart(allocator, payload, offset, length, length);
    }

    /**
     * @return a new buffer holding the start of a binary frame of {@code frameLength} payload bytes: its header, then
     * the first {@code length} bytes of the payload from {@code payload}; the rest follows in another buffer written
     * right after it (a gathering write). The caller owns it.
     */
    public static ByteBuf frameStart(
        final ByteBufAllocator allocator, final DirectBuffer payload, final int offset, final int length,
        final int frameLength)
    {
        final ByteBuf frame = allocator.directBuffer(frameStartCapacity(length));
        writeFrameStart(frame, payload, offset, length, frameLength);
        return frame;
    }

    /**
     * @return the capacity a buffer needs for {@link #writeFrameStart} of {@code length} payload bytes.
     */
    static int frameStartCapacity(final int length)
    {
        return MAX_HEADER_LENGTH + length;
    }

    /**
     * Writes the start of a binary frame of {@code frameLength} payload bytes into {@code frame} at its writer index:
     * its header, then the first {@code length} bytes of the payload from {@code payload}. The buffer must be direct;
     * it grows to room for {@link #frameStartCapacity(int)} bytes if it can, else this throws, as a checked write
     * would, before any native store.
     */
    static void writeFrameStart(
        final ByteBuf frame, final DirectBuffer payload, final int offset, final int length, final int frameLength)
    {
        frame.ensureWritable(frameStartCapacity(length));
        final int writerIndex = frame.writerIndex();
        final int written = putFrameStart(
            NativeAddress.of(frame, writerIndex, frameStartCapacity(length)), payload, offset, length, frameLength);
        frame.writerIndex(writerIndex + written);
    }

    /**
     * Writes the start of a binary frame of {@code frameLength} payload bytes at native address {@code address}: its
     * header, then the first {@code length} bytes of the payload from {@code payload}. There must be room for
     * {@link #frameStartCapacity(int)} bytes.
     *
     * @return the bytes written: the header's and {@code length}.
     */
    static int putFrameStart(
        final long address, final DirectBuffer payload, final int offset, final int length, final int frameLength)
    {
        UnsafeApi.putByte(address, (byte)FIN_BINARY);
        final int headerLength;
        if (frameLength < 126)
        {
            UnsafeApi.putByte(address + 1, (byte)frameLength);
            headerLength = 2;
        }
        else if (frameLength <= 0xFFFF)
        {
            UnsafeApi.putByte(address + 1, (byte)126);
            UnsafeApi.putShort(address + 2, BIG_ENDIAN ? (short)frameLength : Short.reverseBytes((short)frameLength));
            headerLength = 4;
        }
        else
        {
            UnsafeApi.putByte(address + 1, (byte)127);
            UnsafeApi.putLong(address + 2, BIG_ENDIAN ? frameLength : Long.reverseBytes(frameLength));
            headerLength = MAX_HEADER_LENGTH;
        }
        copy(payload, offset, address + headerLength, length);
        return headerLength + length;
    }

    /**
     * @return a new direct buffer holding a copy of {@code length} bytes of {@code payload}; the caller owns it.
     */
    public static ByteBuf copyOf(
        final ByteBufAllocator allocator, final DirectBuffer payload, final int offset, final int length)
    {
        final ByteBuf copy = allocator.directBuffer(length);
        copy(payload, offset, NativeAddress.of(copy, 0, length), length);
        copy.writerIndex(length);
        return copy;
    }

    private static void copy(final DirectBuffer payload, final int offset, final long address, final int length)
    {
        UnsafeApi.copyMemory(payload.byteArray(), payload.addressOffset() + offset, null, address, length);
    }
}
