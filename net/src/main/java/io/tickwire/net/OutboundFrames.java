package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

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
     * its header, then the first {@code length} bytes of the payload from {@code payload}. The buffer must have room
     * for {@link #frameStartCapacity(int)} bytes.
     */
    static void writeFrameStart(
        final ByteBuf frame, final DirectBuffer payload, final int offset, final int length, final int frameLength)
    {
        frame.writeByte(FIN_BINARY);
        if (frameLength < 126)
        {
            frame.writeByte(frameLength);
        }
        else if (frameLength <= 0xFFFF)
        {
            frame.writeByte(126);
            frame.writeShort(frameLength);
        }
        else
        {
            frame.writeByte(127);
            frame.writeLong(frameLength);
        }
        append(frame, payload, offset, length);
    }

    /**
     * @return a new direct buffer holding a copy of {@code length} bytes of {@code payload}; the caller owns it.
     */
    public static ByteBuf copyOf(
        final ByteBufAllocator allocator, final DirectBuffer payload, final int offset, final int length)
    {
        final ByteBuf copy = allocator.directBuffer(length);
        append(copy, payload, offset, length);
        return copy;
    }

    private static void append(final ByteBuf frame, final DirectBuffer payload, final int offset, final int length)
    {
        final int writerIndex = frame.writerIndex();
        if (frame.hasMemoryAddress())
        {
            UnsafeApi.copyMemory(
                payload.byteArray(), payload.addressOffset() + offset,
                null, frame.memoryAddress() + writerIndex, length);
        }
        else
        {
            final ByteBuffer target = frame.internalNioBuffer(writerIndex, length);
            payload.getBytes(offset, target, target.position(), length);
        }
        frame.writerIndex(writerIndex + length);
    }
}
