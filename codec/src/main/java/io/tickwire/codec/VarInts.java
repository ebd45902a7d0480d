package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Unsigned LEB128 variable-length integers and zigzag mapping, over Agrona buffers. Seven bits per byte, least
 * significant group first, high bit set on every byte but the last; a 64-bit value takes at most 10 bytes.
 * <p>
 * Writers always use the shortest form, and the {@link Reader} accepts only that: a varint of more than one byte
 * whose last byte is 0, or one longer than 10 bytes or above 2^64 - 1, is malformed. The reader checks every byte
 * against the message's end and reports malformed input as a state rather than an exception: decoding hostile
 * bytes must not throw. Allocation free.
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

        /**
         * @return the buffer being read, to read a fixed-size field at {@link #position()} before skipping it.
         */
        public DirectBuffer buffer()
        {
            return buffer;
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
            if (!valid)
            {
                return 0;
            }
            final DirectBuffer bytes = buffer;
            final int end = limit;
            int at = position;
            long value = 0;
            for (int shift = 0; shift <= 63 && at < end; shift += 7)
            {
                final int b = bytes.getByte(at++);
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    if ((shift == 63 && (b & 0x7E) != 0) || (b == 0 && shift > 0))
                    {
                        break;
                    }
                    position = at;
                    return value;
                }
            }
            position = at;
            valid = false;
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

        /**
         * Reads a numeric field: a varint of {@code value - min} that must be at most {@code max - min}; anything
         * else marks the input malformed.
         *
         * @return the value, within {@code min..max}; {@code min} when malformed.
         */
        public int rangedInt(final int min, final int max)
        {
            final long offsetValue = varLong();
            if (offsetValue < 0 || offsetValue > (long)max - min)
            {
                valid = false;
                return min;
            }
            return (int)(min + offsetValue);
        }

        public long zigzagLong()
        {
            return unzigzag(varLong());
        }

        /**
         * @return a zigzag varint that must fit a signed 32-bit integer; anything else marks the input malformed.
         */
        public int zigzagInt()
        {
            final long value = zigzagLong();
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
            {
                valid = false;
                return 0;
            }
            return (int)value;
        }

        /**
         * Skips {@code count} bytes, which must all be within the message.
         */
        public void skip(final int count)
        {
            if (!valid || count < 0 || count > limit - position)
            {
                valid = false;
                return;
            }
            position += count;
        }

        /**
         * Reads a protocol {@code text}: a varint byte length within {@code minLength..maxLength}, then that many
         * bytes of well-formed UTF-8 without control characters ({@link Utf8#isValidText}).
         *
         * @return the text's length in bytes; it ends at {@link #position()}. 0 when malformed.
         */
        public int text(final int minLength, final int maxLength)
        {
            final int length = varInt(maxLength);
            if (length < minLength || length > limit - position ||
                (valid && !Utf8.isValidText(buffer, position, length)))
            {
                valid = false;
                return 0;
            }
            position += length;
            return valid ? length : 0;
        }

        /**
         * Reads a {@code text} as {@link #text(int, int)} does, as a new string. Allocates: for cold messages.
         *
         * @return the string, or null when malformed.
         */
        public String string(final int minLength, final int maxLength)
        {
            final int length = text(minLength, maxLength);
            return valid ? buffer.getStringWithoutLengthUtf8(position - length, length) : null;
        }

        /**
         * Reads a {@code bytes} field: a varint length within {@code 0..maxLength}, then that many bytes.
         *
         * @return the length; the bytes end at {@link #position()}. 0 when malformed.
         */
        public int bytes(final int maxLength)
        {
            final int length = varInt(maxLength);
            skip(length);
            return valid ? length : 0;
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
