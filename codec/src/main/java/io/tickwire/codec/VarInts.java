package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Unsigned LEB128 variable-length integers and zigzag mapping, over Agrona buffers. Seven bits per byte, least
 * significant group first, high bit set on every byte but the last; a 64-bit value takes at most 10 bytes.
 * <p>
 * The {@link Reader} checks every byte against the message's end and reports malformed input as a state rather
 * than an exception: decoding hostile bytes must not throw. Allocation free.
 */
public final class VarInts
{
    /** Longest encoding of a 64-bit value. */
    public static final int MAX_LENGTH = 10;

    private VarInts()
    {
    }

    /**
     * @return the number of bytes {@link #putVarLong} writes for {@code value}.
     */
    public static int lengthOf(final long value)
    {
        return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    /**
     * Writes {@code value} as an unsigned varint at {@code index}.
     *
     * @return the index after the last byte written.
     */
    public static int putVarLong(final MutableDirectBuffer buffer, final int index, final long value)
    {
        int at = index;
        long remaining = value;
        while ((remaining & ~0x7FL) != 0)
        {
            buffer.putByte(at++, (byte)((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        buffer.putByte(at++, (byte)remaining);
        return at;
    }

    /**
     * @return the zigzag mapping of a signed value: 0, -1, 1, -2, 2 ... become 0, 1, 2, 3, 4 ...
     */
    public static long zigzag(final long value)
    {
        return (value << 1) ^ (value >> 63);
    }

    /**
     * @return the signed value of a zigzag-mapped one.
     */
    public static long unzigzag(final long value)
    {
        return (value >>> 1) ^ -(value & 1);
    }

    /**
     * A cursor that reads varints and fixed fields from a received buffer, checking every access against the
     * message's end. After the first malformed or out-of-bounds read {@link #isValid()} is false and every further
     * read returns 0, so a decoder can read a whole structure and check once. Not thread safe.
     */
    public static final class Reader
    {
        private DirectBuffer buffer;
        private int position;
        private int limit;
        private boolean valid;

        public Reader wrap(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.position = offset;
            this.limit = offset + length;
            this.valid = length >= 0;
            return this;
        }

        public boolean isValid()
        {
            return valid;
        }

        public int position()
        {
            return position;
        }

        public int remaining()
        {
            return limit - position;
        }

        /**
         * Marks the input malformed, for a check the caller made.
         */
        public void fail()
        {
            valid = false;
        }

        public long varLong()
        {
            long value = 0;
            int shift = 0;
            while (valid)
            {
                if (position >= limit || shift > 63)
                {
                    valid = false;
                    break;
                }
                final int b = buffer.getByte(position++);
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    if (shift == 63 && (b & 0x7E) != 0)
                    {
                        valid = false;
                        break;
                    }
                    return value;
                }
                shift += 7;
            }
            return 0;
        }

        /**
         * @return an unsigned varint that must fit in {@code 0..max}; larger values mark the input malformed.
         */
        public int varInt(final int max)
        {
            final long value = varLong();
            if (value < 0 || value > max)
            {
                valid = false;
                return 0;
            }
            return (int)value;
        }

        public long zigzagLong()
        {
            return unzigzag(varLong());
        }

        public int u8()
        {
            if (!valid || position + 1 > limit)
            {
                valid = false;
                return 0;
            }
            return buffer.getByte(position++) & 0xFF;
        }

        public int u32()
        {
            if (!valid || position + 4 > limit)
            {
                valid = false;
                return 0;
            }
            final int value = buffer.getInt(position, WireFormat.BYTE_ORDER);
            position += 4;
            return value;
        }
    }
}
