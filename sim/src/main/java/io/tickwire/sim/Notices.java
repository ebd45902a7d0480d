package io.tickwire.sim;

/**
 * Text the server puts in a NOTICE and a close frame: at most {@link #MAX_TEXT_LENGTH} UTF-8 bytes, which fits
 * both a NOTICE's text and a WebSocket close reason.
 */
final class Notices
{
    /** A close frame's reason may take 123 bytes; a NOTICE's text 128. */
    static final int MAX_TEXT_LENGTH = 123;

    private Notices()
    {
    }

    /**
     * @return {@code text} without control characters and unpaired surrogates (which the protocol's text cannot
     * carry: encoding the NOTICE would throw, and the client would be left unclosed), cut at a character boundary
     * to at most {@link #MAX_TEXT_LENGTH} UTF-8 bytes; "" for null.
     */
    static String truncate(final String text)
    {
        if (text == null)
        {
            return "";
        }
        final StringBuilder kept = new StringBuilder(Math.min(text.length(), MAX_TEXT_LENGTH));
        int length = 0;
        for (int i = 0; i < text.length(); )
        {
            final int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isISOControl(codePoint) || Character.getType(codePoint) == Character.SURROGATE)
            {
                continue;
            }
            final int bytes = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (length + bytes > MAX_TEXT_LENGTH)
            {
                break;
            }
            kept.appendCodePoint(codePoint);
            length += bytes;
        }
        return kept.toString();
    }
}
