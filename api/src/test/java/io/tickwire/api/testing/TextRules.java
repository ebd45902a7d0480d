package io.tickwire.api.testing;

import java.nio.charset.StandardCharsets;

/**
 * The text rules the server applies to every string on the wire: a UTF-8 byte length limit and no control
 * characters (U+0000..U+001F, U+007F..U+009F).
 */
final class TextRules
{
    private TextRules()
    {
    }

    /**
     * @throws IllegalArgumentException when {@code text} is null, longer than {@code maxBytes} in UTF-8 or holds a
     *                                  control character.
     */
    static String require(final String what, final CharSequence text, final int maxBytes)
    {
        if (text == null)
        {
            throw new IllegalArgumentException(what + ": null");
        }
        final String value = text.toString();
        if (value.getBytes(StandardCharsets.UTF_8).length > maxBytes)
        {
            throw new IllegalArgumentException(what + ": longer than " + maxBytes + " bytes: " + value);
        }
        if (value.chars().anyMatch(Character::isISOControl))
        {
            throw new IllegalArgumentException(what + ": control character");
        }
        return value;
    }

    static int utf8Length(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
