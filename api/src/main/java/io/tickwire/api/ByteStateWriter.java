package io.tickwire.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link StateWriter} into a growing byte array, little-endian: for tests and tools, and for anything that needs a
 * checkpoint as bytes. Read the result with {@link ByteStateReader}.
 * <pre>
 *   boolean   1 byte, 0 or 1
 *   int       4 bytes          long, double   8 bytes (a double as its raw long bits)
 *   varint    1..5 bytes, 7 bits a byte, low bits first, high bit set on every byte but the last
 *   string    varint (UTF-8 length + 1, 0 = null), then the UTF-8 bytes
 *   ints      the ints one after another (4 bytes each), no length: the reader is told it
 * </pre>
 * Not thread-safe. {@link #reset()} makes it reusable without allocating; it grows only when a save is larger than
 * any before it.
 */
public final class ByteStateWriter implements StateWriter
{
    private byte[] bytes;
    private int length;

    public ByteStateWriter()
    {
        this(256);
    }

    public ByteStateWriter(final int initialCapacity)
    {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Forgets what was written, keeping the buffer. */
    public ByteStateWriter reset()
    {
        length = 0;
        return this;
    }

    /** @return the number of bytes written. */
    public int length()
    {
        return length;
    }

    /** @return the buffer: its first {@link #length()} bytes are the state; the array is reused after a reset. */
    public byte[] buffer()
    {
        return bytes;
    }

    /** @return a copy of the bytes written. */
    public byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, length);
    }

    public void writeBoolean(final boolean value)
    {
        ensure(1);
        bytes[length++] = (byte)(value ? 1 : 0);
    }

    public void writeInt(final int value)
    {
        ensure(Integer.BYTES);
        putInt(value);
    }

    public void writeVarInt(final int value)
    {
        ensure(5);
        int rest = value;
        while ((rest & ~0x7F) != 0)
        {
            bytes[length++] = (byte)((rest & 0x7F) | 0x80);
            rest >>>= 7;
        }
        bytes[length++] = (byte)rest;
    }

    public void writeLong(final long value)
    {
        ensure(Long.BYTES);
        putLong(value);
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
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeVarInt(utf8.length + 1);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
    }

    public void writeInts(final int[] values, final int offset, final int count)
    {
        java.util.Objects.checkFromIndexSize(offset, count, values.length);
        ensure((long)count * Integer.BYTES);
        for (int i = offset, end = offset + count; i < end; i++)
        {
            putInt(values[i]);
        }
    }

    public void writeLongs(final long[] values, final int offset, final int count)
    {
        java.util.Objects.checkFromIndexSize(offset, count, values.length);
        ensure((long)count * Long.BYTES);
        for (int i = offset, end = offset + count; i < end; i++)
        {
            putLong(values[i]);
        }
    }

    private void putInt(final int value)
    {
        bytes[length] = (byte)value;
        bytes[length + 1] = (byte)(value >>> 8);
        bytes[length + 2] = (byte)(value >>> 16);
        bytes[length + 3] = (byte)(value >>> 24);
        length += Integer.BYTES;
    }

    private void putLong(final long value)
    {
        putInt((int)value);
        putInt((int)(value >>> 32));
    }

    private void ensure(final long more)
    {
        final long needed = length + more;
        if (needed > bytes.length)
        {
            if (needed > Integer.MAX_VALUE - 8)
            {
                throw new IllegalStateException("state larger than 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int)Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * bytes.length)));
        }
    }
}
