package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Frames a bot's binary messages as a WebSocket client must (RFC 6455 section 5.2), in one pooled buffer: what
 * Netty's frame encoder does with a frame object and two buffers.
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-------+-+-------------+-------------------------------+
 *   |1|0|0|0|  0x2  |1| length 0-125| (length 126: 16 bits follow;  |
 *   |F|  RSV|binary |M|   126, 127  |  127: 64 bits follow)         |
 *   +-+-+-+-+-------+-+-------------+-------------------------------+
 *   |                    masking key (32 bits, random)              |
 *   +---------------------------------------------------------------+
 *   |      payload, byte i XOR key byte (i mod 4)                   |
 *   +---------------------------------------------------------------+
 * </pre>
 * Stateless; thread safe. The masking key comes from the calling thread's {@link ThreadLocalRandom}, as in Netty's
 * encoder: a client's keys must not be predictable by what sits between it and the server.
 */
final class ClientFrames
{
    /** The FIN bit of the first byte: the frame ends its message. */
    static final int FIN = 0x80;

    /** The mask bit of the second byte: set in every frame a client sends. */
    static final int MASK_BIT = 0x80;

    /** Longest payload whose length fits the 7 bits of the second byte. */
    static final int MAX_SHORT_LENGTH = 125;

    /** Length code of a 16-bit extended payload length. */
    static final int LENGTH_16 = 126;

    /** Length code of a 64-bit extended payload length. */
    static final int LENGTH_64 = 127;

    private static final int MASK_LENGTH = 4;

    private ClientFrames()
    {
    }

    /**
     * @param alloc   the channel's allocator.
     * @param payload holds the message from index 0.
     * @param length  the message's length in bytes.
     * @return a new buffer holding the whole masked binary frame; the caller owns it.
     */
    static ByteBuf maskedBinary(final ByteBufAllocator alloc, final UnsafeBuffer payload, final int length)
    {
        return masked(alloc, ServerFrameReader.OPCODE_BINARY, payload, length);
    }

    /**
     * @param alloc   the channel's allocator.
     * @param opcode  the frame's opcode, such as {@link ServerFrameReader#OPCODE_PONG}.
     * @param payload holds the payload from index 0.
     * @param length  the payload's length in bytes.
     * @return a new buffer holding the whole masked final frame; the caller owns it.
     */
    static ByteBuf masked(final ByteBufAllocator alloc, final int opcode, final UnsafeBuffer payload, final int length)
    {
        final int lengthBytes = length <= MAX_SHORT_LENGTH ? 0 : length <= 0xFFFF ? Short.BYTES : Long.BYTES;
        final ByteBuf frame = alloc.buffer(2 + lengthBytes + MASK_LENGTH + length);
        frame.writeByte(FIN | opcode);
        if (lengthBytes == 0)
        {
            frame.writeByte(MASK_BIT | length);
        }
        else if (lengthBytes == Short.BYTES)
        {
            frame.writeByte(MASK_BIT | LENGTH_16).writeShort(length);
        }
        else
        {
            frame.writeByte(MASK_BIT | LENGTH_64).writeLong(length);
        }
        final int mask = ThreadLocalRandom.current().nextInt();
        frame.writeInt(mask);
        final int whole = length & ~(Integer.BYTES - 1);
        for (int i = 0; i < whole; i += Integer.BYTES)
        {
            frame.writeInt(payload.getInt(i, ByteOrder.BIG_ENDIAN) ^ mask);
        }
        for (int i = whole; i < length; i++)
        {
            frame.writeByte(payload.getByte(i) ^ (mask >>> (Integer.SIZE - Byte.SIZE * (1 + (i & 3)))));
        }
        return frame;
    }
}
