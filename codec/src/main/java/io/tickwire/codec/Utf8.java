package io.tickwire.codec;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The protocol's text rules, in one place: a {@code text} is well-formed UTF-8 (RFC 3629: shortest form, no
 * surrogates, at most U+10FFFF) without control characters (U+0000..U+001F and U+007F..U+009F). Checks received bytes
 * without decoding them, and encodes a {@link CharSequence} char by char without {@code String.getBytes}; allocation
 * free and stateless.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /**
     * @return true when the code point is a control character the protocol refuses in text.
     */
    public static boolean isControl(final int codePoint)
    {
        return codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F);
    }

    /**
     * Checks received bytes as hostile input.
     *
     * @return true when {@code length} bytes at {@code index} are well-formed UTF-8 without control characters.
     */
    public static boolean isValidText(final DirectBuffer buffer, final int index, final int length)
    {
        final int end = index + length;
        int i = index;
        while (i < end)
        {
            final int lead = buffer.getByte(i) & 0xFF;
            if (lead < 0x80)
            {
                if (isControl(lead))
                {
                    return false;
                }
                i++;
                continue;
            }

            final int continuations;
            int codePoint;
            int low = 0x80;
            int high = 0xBF;
            if (lead < 0xC2)
            {
                return false;
            }
            else if (lead < 0xE0)
            {
                continuations = 1;
                codePoint = lead & 0x1F;
            }
            else if (lead < 0xF0)
            {
                continuations = 2;
                codePoint = lead & 0x0F;
                low = lead == 0xE0 ? 0xA0 : low;
                high = lead == 0xED ? 0x9F : high;
            }
            else if (lead < 0xF5)
            {
                continuations = 3;
                codePoint = lead & 0x07;
                low = lead == 0xF0 ? 0x90 : low;
                high = lead == 0xF4 ? 0x8F : high;
            }
            else
            {
                return false;
            }

            if (end - i <= continuations)
            {
                return false;
            }
            for (int k = 1; k <= continuations; k++)
            {
                final int b = buffer.getByte(i + k) & 0xFF;
                if (b < low || b > high)
                {
                    return false;
                }
                codePoint = (codePoint << 6) | (b & 0x3F);
                low = 0x80;
                high = 0xBF;
            }
            if (isControl(codePoint))
            {
                return false;
            }
            i += continuations + 1;
        }
        return true;
    }

    /**
     * @return the number of UTF-8 bytes of {@code text}, or -1 when it holds a control character or an unpaired
     * surrogate and so is not a valid protocol text.
     */
    public static int encodedLength(final CharSequence text)
    {
        int length = 0;
        for (int i = 0, n = text.length(); i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                if (isControl(c))
                {
                    return -1;
                }
                length++;
            }
            else if (c < 0x800)
            {
                if (isControl(c))
                {
                    return -1;
                }
                length += 2;
            }
            else if (Character.isSurrogate(c))
            {
                if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(text.charAt(i + 1)))
                {
                    return -1;
                }
                i++;
                length += 4;
            }
            else
            {
                length += 3;
            }
        }
        return length;
    }

    /**
     * Writes the UTF-8 of {@code text}, which {@link #encodedLength} accepted.
     *
     * @return the index after the last byte written.
     */
    public static int put(final MutableDirectBuffer buffer, final int index, final CharSequence text)
    {
        int at = index;
        for (int i = 0, n = text.length(); i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                buffer.putByte(at++, (byte)c);
            }
            else if (c < 0x800)
            {
                buffer.putByte(at++, (byte)(0xC0 | (c >>> 6)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c))
            {
                final int codePoint = Character.toCodePoint(c, text.charAt(++i));
                buffer.putByte(at++, (byte)(0xF0 | (codePoint >>> 18)));
                buffer.putByte(at++, (byte)(0x80 | ((codePoint >>> 12) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | ((codePoint >>> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (codePoint & 0x3F)));
            }
            else
            {
                buffer.putByte(at++, (byte)(0xE0 | (c >>> 12)));
                buffer.putByte(at++, (byte)(0x80 | ((c >>> 6) & 0x3F)));
                buffer.putByte(at++, (byte)(0x80 | (c & 0x3F)));
            }
        }
        return at;
    }

    /**
     * Writes a protocol {@code text}: a varint byte length, then the UTF-8 bytes. For our own writes: a text that
     * breaks the rules is a bug of the caller.
     *
     * @return the index after the last byte written.
     * @throws IllegalArgumentException when the text holds a control character or an unpaired surrogate, or its
     *                                  UTF-8 length is outside {@code minLength..maxLength}.
     */
    public static int putText(
        final MutableDirectBuffer buffer, final int index, final CharSequence text, final int minLength,
        final int maxLength)
    {
        final int length = checkedLength(text, minLength, maxLength);
        return put(buffer, VarInts.putVarLong(buffer, index, length), text);
    }

    /**
     * @return the UTF-8 length of {@code text}.
     * @throws IllegalArgumentException when the text is not a valid protocol text of {@code minLength..maxLength}
     *                                  bytes.
     */
    public static int checkedLength(final CharSequence text, final int minLength, final int maxLength)
    {
        final int length = encodedLength(text);
        if (length < minLength || length > maxLength)
        {
            throw new IllegalArgumentException(
                "text must be " + minLength + ".." + maxLength + " UTF-8 bytes without control characters: " + text);
        }
        return length;
    }
}
