package io.tickwire.codec;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8Test
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @Test
    void acceptsWellFormedTextWithoutControlCharacters()
    {
        for (final String hex : new String[] {"", "61", "20 7e", "c2 a0", "df bf", "e0 a0 80", "ed 9f bf", "ee 80 80",
            "ef bf bd", "f0 90 80 80", "f4 8f bf bf", "e4 b8 ad f0 9f 98 80"})
        {
            assertTrue(valid(hex), hex);
        }
    }

    @Test
    void refusesMalformedUtf8AndControlCharacters()
    {
        for (final String hex : new String[] {"00", "09", "0a", "1f", "7f", "c2 80", "c2 85", "c2 9f", "80", "bf",
            "c0 80", "c1 bf", "c2", "c2 41", "e0 80 80", "e0 9f bf", "ed a0 80", "ed bf bf", "e2 82", "f0 80 80 80",
            "f0 8f bf bf", "f4 90 80 80", "f5 80 80 80", "f8 88 80 80 80", "fe", "ff", "61 00 62", "f0 9f 98"})
        {
            assertFalse(valid(hex), hex);
        }
    }

    @Test
    void encodesCharByCharAndRefusesWhatItMayNotSend()
    {
        final String text = "aé中\uD83D\uDE00";
        assertEquals(10, Utf8.encodedLength(text));
        final int end = Utf8.putText(buffer, 1, text, 0, 10);
        assertEquals(12, end);
        final byte[] written = new byte[11];
        buffer.getBytes(1, written);
        assertArrayEquals(Hex.parse("0a 61 c3 a9 e4 b8 ad f0 9f 98 80"), written);

        assertEquals(-1, Utf8.encodedLength("a\u0000"));
        assertEquals(-1, Utf8.encodedLength("\u009f"));
        assertEquals(-1, Utf8.encodedLength("\uDE00"));
        assertEquals(-1, Utf8.encodedLength("\uD83D"));
        assertEquals(-1, Utf8.encodedLength("\uD83Dx"));
        assertThrows(IllegalArgumentException.class, () -> Utf8.putText(buffer, 0, text, 0, 9));
        assertThrows(IllegalArgumentException.class, () -> Utf8.putText(buffer, 0, "", 1, 9));
    }

    @Property(tries = 1000)
    void agreesWithTheJdkOnEveryString(@ForAll final String text)
    {
        final boolean sendable = text.codePoints().noneMatch(Utf8::isControl) &&
            text.codePoints().noneMatch(c -> Character.isSurrogate((char)c) && c < 0x10000);
        final int length = Utf8.encodedLength(text);
        if (!sendable)
        {
            assertEquals(-1, length);
            return;
        }
        final byte[] jdk = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(jdk.length, length);
        final int end = Utf8.put(buffer, 0, text);
        final byte[] ours = new byte[end];
        buffer.getBytes(0, ours);
        assertArrayEquals(jdk, ours);
        assertTrue(Utf8.isValidText(buffer, 0, end));
    }

    @Property(tries = 2000)
    void acceptsExactlyWhatTheJdkDecodesStrictlyWithoutControls(@ForAll final byte[] bytes)
    {
        final UnsafeBuffer input = new UnsafeBuffer(bytes);
        final boolean strict = strictDecode(bytes);
        assertEquals(strict, Utf8.isValidText(input, 0, bytes.length));
    }

    private static boolean strictDecode(final byte[] bytes)
    {
        try
        {
            final String text = StandardCharsets.UTF_8.newDecoder()
                .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.codePoints().noneMatch(Utf8::isControl);
        }
        catch (final java.nio.charset.CharacterCodingException ex)
        {
            return false;
        }
    }

    private boolean valid(final String hex)
    {
        final byte[] bytes = Hex.parse(hex);
        buffer.putBytes(0, bytes);
        return Utf8.isValidText(buffer, 0, bytes.length);
    }
}
