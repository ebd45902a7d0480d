package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.tickwire.codec.WireFormat.BYTE_ORDER;

/**
 * Flyweight over a pong: the server's immediate answer to a ping, echoing the ping's timestamp so the client can
 * measure the round trip through the server's event loop.
 * <pre>
 *   +---------------+---------------------------------------------------------------+
 *   |  type (0x44)  |          timestamp echoed from the ping (u64 LE)              |
 *   +---------------+---------------------------------------------------------------+
 * </pre>
 */
public final class PongFlyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int TIMESTAMP_OFFSET = 1;
    public static final int LENGTH = TIMESTAMP_OFFSET + 8;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    public PongFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer ? (MutableDirectBuffer)buffer : null;
        this.offset = offset;
        return this;
    }

    /**
     * Writes a whole pong.
     *
     * @return its length.
     */
    public int encode(final long timestamp)
    {
        mutableBuffer.putByte(offset + TYPE_OFFSET, WireFormat.TYPE_PONG);
        mutableBuffer.putLong(offset + TIMESTAMP_OFFSET, timestamp, BYTE_ORDER);
        return LENGTH;
    }

    public long timestamp()
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET, BYTE_ORDER);
    }
}
