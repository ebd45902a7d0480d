package io.tickwire.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A {@link StateReader} over a byte array in {@link ByteStateWriter}'s little-endian layout. Every read checks the
 * bytes left first and throws {@link IllegalStateException} on an underflow or a malformed varint or string length,
 * without moving past the end: checkpoint bytes may come from another process and are not trusted.
 * Not thread-safe; {@link #wrap(byte[], int, int)} reuses it.
 */
public final class ByteStateReader implements StateReader
{
    private byte[] bytes;
    private int position;
    private int limit;

    public ByteStateReader(final byte[] bytes)
    {
        this(bytes, 0, bytes.length);
    }

    public ByteStateReader(final byte[] bytes, final int offset, final int length)
    {
        wrap(bytes, offset, length);
    }

    /** Reads {@code length} bytes of {@code bytes} from {@code offset} from now on. */
    public ByteStateReader wrap(final byte[] bytes, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
        return this;
    }

    public int remaining()
    {
        return limit - position;
    }

    public boolean readBoolean()
    {
        require(1);
        final byte value = bytes[position++];
        if (value != 0 && value != 1)
        {
            throw new IllegalStateException("boolean byte " + value);
        }
        return value == 1;
    }

    public int readInt()
    {
        require(Integer.BYTES);
        return getInt();
    }

    public int readVarInt()
    {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            require(1);
            final int b = bytes[position++];
            if (shift == 28 && (b & 0xF0) != 0)
            {
                throw new IllegalStateException("varint longer than 32 bits");
            }
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new IllegalStateException("varint longer than 5 bytes");
    }

    public long readLong()
    {
        require(Long.BYTES);
        return getLong();
    }

    public double readDouble()
    {
        return Double.longBitsToDouble(readLong());
    }

    public String readString()
    {
        final int lengthPlusOne = readVarInt();
        if (lengthPlusOne == 0)
        {
            return null;
        }
        final int utf8Length = lengthPlusOne - 1;
        if (utf8Length < 0)
        {
            throw new IllegalStateException("string length " + utf8Length);
        }
        require(utf8Length);
        final String value = new String(bytes, position, utf8Length, StandardCharsets.UTF_8);
        position += utf8Length;
        return value;
    }

    public void readInts(final int[] into, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, into.length);
        require((long)length * Integer.BYTES);
        for (int i = offset, end = offset + length; i < end; i++)
        {
            into[i] = getInt();
        }
    }

    public void readLongs(final long[] into, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, into.length);
        require((long)length * Long.BYTES);
        for (int i = offset, end = offset + length; i < end; i++)
        {
            into[i] = getLong();
        }
    }

    private int getInt()
    {
        final int value = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8 |
            (bytes[position + 2] & 0xFF) << 16 | (bytes[position + 3] & 0xFF) << 24;
        position += Integer.BYTES;
        return value;
    }

    private long getLong()
    {
        final long low = getInt() & 0xFFFF_FFFFL;
        return low | (long)getInt() << 32;
    }

    private void require(final long needed)
    {
        if (needed > limit - position)
        {
            throw new IllegalStateException("state underflow: " + needed + " bytes needed, " + (limit - position) +
                " remaining");
        }
    }
}
