package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Frames a bot's messages as a WebSocket client must (RFC 6455 section 5.2), into a buffer the caller gives: what
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
     * @param payloadLength a payload's length in bytes.
     * @return the length of the masked frame holding it.
     */
    static int frameLength(final int payloadLength)
    {
        final int lengthBytes =
            payloadLength <= MAX_SHORT_LENGTH ? 0 : payloadLength <= 0xFFFF ? Short.BYTES : Long.BYTES;
        return 2 + lengthBytes + MASK_LENGTH + payloadLength;
    }

    /**
     * Writes a masked final frame into {@code out} at {@code offset}.
     *
     * @param out     has room for {@link #frameLength(int)} bytes from {@code offset}.
     * @param opcode  the frame's opcode, such as {@link ServerFrameReader#OPCODE_BINARY}.
     * @param payload holds the payload from index 0.
     * @param length  the payload's length in bytes.
     * @return the frame's length in bytes.
     */
    static int frame(
        final MutableDirectBuffer out, final int offset, final int opcode, final DirectBuffer payload, final int length)
    {
        int position = offset;
        out.putByte(position++, (byte)(FIN | opcode));
        if (length <= MAX_SHORT_LENGTH)
        {
            out.putByte(position++, (byte)(MASK_BIT | length));
        }
        else if (length <= 0xFFFF)
        {
            out.putByte(position++, (byte)(MASK_BIT | LENGTH_16));
            out.putShort(position, (short)length, ByteOrder.BIG_ENDIAN);
            position += Short.BYTES;
        }
        else
        {
            out.putByte(position++, (byte)(MASK_BIT | LENGTH_64));
            out.putLong(position, length, ByteOrder.BIG_ENDIAN);
            position += Long.BYTES;
        }
        final int mask = ThreadLocalRandom.current().nextInt();
        out.putInt(position, mask, ByteOrder.BIG_ENDIAN);
        position += MASK_LENGTH;
        final int whole = length & ~(Integer.BYTES - 1);
        for (int i = 0; i < whole; i += Integer.BYTES)
        {
            out.putInt(position + i, payload.getInt(i, ByteOrder.BIG_ENDIAN) ^ mask, ByteOrder.BIG_ENDIAN);
        }
        for (int i = whole; i < length; i++)
        {
            final int keyByte = mask >>> (Integer.SIZE - Byte.SIZE * (1 + (i & 3)));
            out.putByte(position + i, (byte)(payload.getByte(i) ^ keyByte));
        }
        return position + length - offset;
    }

    /**
     * @param alloc   the channel's allocator.
     * @param opcode  the frame's opcode, such as {@link ServerFrameReader#OPCODE_PONG}.
     * @param payload holds the payload from index 0.
     * @param length  the payload's length in bytes.
     * @return a new buffer holding the whole masked final frame; the caller owns it. Allocates a wrapper besides: for
     * rare frames (a pong) only.
     */
    static ByteBuf masked(final ByteBufAllocator alloc, final int opcode, final DirectBuffer payload, final int length)
    {
        final int frameLength = frameLength(length);
        final ByteBuf frame = alloc.heapBuffer(frameLength, frameLength);
        frame(new UnsafeBuffer(frame.array(), frame.arrayOffset(), frameLength), 0, opcode, payload, length);
        return frame.writerIndex(frameLength);
    }
}
