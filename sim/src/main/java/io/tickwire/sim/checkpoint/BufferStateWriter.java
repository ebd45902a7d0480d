package io.tickwire.sim.checkpoint;

import io.tickwire.api.StateWriter;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A {@link StateWriter} into an Agrona {@link ExpandableArrayBuffer}, in exactly the layout of
 * {@link io.tickwire.api.ByteStateWriter} (so {@link io.tickwire.api.ByteStateReader} reads it back): little-endian,
 * varints of 7 bits a byte, strings as a varint of UTF-8 length + 1 (0 = null) and the bytes. Strings are encoded
 * char by char, so a save allocates nothing once the buffer has grown to the largest state written. Shard thread.
 */
public final class BufferStateWriter implements StateWriter
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final ExpandableArrayBuffer buffer;
    private int length;

    public BufferStateWriter(final ExpandableArrayBuffer buffer)
    {
        this.buffer = buffer;
    }

    /**
     * Forgets what was written, keeping the buffer.
     *
     * @return this.
     */
    public BufferStateWriter reset()
    {
        length = 0;
        return this;
    }

    /**
     * @return the bytes written since the last reset.
     */
    public int length()
    {
        return length;
    }

    public void writeBoolean(final boolean value)
    {
        buffer.putByte(length++, (byte)(value ? 1 : 0));
    }

    public void writeInt(final int value)
    {
        buffer.putInt(length, value, ORDER);
        length += Integer.BYTES;
    }

    public void writeVarInt(final int value)
    {
        int rest = value;
        while ((rest & ~0x7F) != 0)
        {
            buffer.putByte(length++, (byte)((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        buffer.putByte(length++, (byte)rest);
    }

    public void writeLong(final long value)
    {
        buffer.putLong(length, value, ORDER);
        length += Long.BYTES;
    }

    public void writeDouble(final double value)
    {
        writeLong(Double.doubleToRawLongBits(value));
    }

    public void writeString(final String value)
    {
        if (value == null)
        {
            writeVarInt(0);
            return;
        }
        writeVarInt(utf8Length(value) + 1);
        for (int i = 0, n = value.length(); i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(length++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(length++, (byte)(0xC0 | (c >> 6)));
                buffer.putByte(length++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, value.charAt(++i));
                buffer.putByte(length++, (byte)(0xF0 | (codePoint >> 18)));
                buffer.putByte(length++, (byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                buffer.putByte(length++, (byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                buffer.putByte(length++, (byte)(0x80 | (codePoint & 0x3F)));
            }
            else if (Character.isSurrogate(c))
            {
                buffer.putByte(length++, (byte)'?');
            }
            else
            {
                buffer.putByte(length++, (byte)(0xE0 | (c >> 12)));
                buffer.putByte(length++, (byte)(0x80 | ((c >> 6) & 0x3F)));
                buffer.putByte(length++, (byte)(0x80 | (c & 0x3F)));
            }
        }
    }

    public void writeInts(final int[] values, final int offset, final int count)
    {
        Objects.checkFromIndexSize(offset, count, values.length);
        for (int i = offset, end = offset + count; i < end; i++)
        {
            writeInt(values[i]);
        }
    }

    public void writeLongs(final long[] values, final int offset, final int count)
    {
        Objects.checkFromIndexSize(offset, count, values.length);
        for (int i = offset, end = offset + count; i < end; i++)
        {
            writeLong(values[i]);
        }
    }

    /**
     * @return the UTF-8 length of {@code value} as {@link String#getBytes} with UTF-8 counts it: an unpaired
     * surrogate becomes '?', one byte.
     */
    private static int utf8Length(final String value)
    {
        int bytes = 0;
        for (int i = 0, n = value.length(); i < n; i++)
        {
            final char c = value.charAt(i);
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return bytes;
    }
}
