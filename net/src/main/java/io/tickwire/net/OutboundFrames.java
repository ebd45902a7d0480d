package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteBuffer;

/**
 * Builds server-to-client WebSocket binary frames in one pooled buffer: the frame header (FIN, binary opcode,
 * unmasked payload length, RFC 6455 section 5.2) followed by the payload copied from a shard's Agrona buffer.
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
        final ByteBuf frame = allocator.directBuffer(MAX_HEADER_LENGTH + length);
        frame.writeByte(FIN_BINARY);
        if (length < 126)
        {
            frame.writeByte(length);
        }
        else if (length <= 0xFFFF)
        {
            frame.writeByte(126);
            frame.writeShort(length);
        }
        else
        {
            frame.writeByte(127);
            frame.writeLong(length);
        }

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
        return frame;
    }
}
