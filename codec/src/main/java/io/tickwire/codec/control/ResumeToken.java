package io.tickwire.codec.control;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * A session resume token: 16 opaque bytes the server hands a client in each WELCOME and the client gives back in a
 * RESUME JOIN to take its seat again after its connection dropped. The server draws it from a {@link SecureRandom}
 * (128 bits), accepts it once, and rotates it on every WELCOME, so an old token is worth nothing. Kept as the two
 * little-endian 64-bit halves of the wire bytes, so it is a value (equality, hash) and a map key without copying
 * arrays. {@link #toString()} never shows the bytes: a token is a credential and must not reach a log.
 *
 * @param first  bytes 0..7 of the token, read little-endian.
 * @param second bytes 8..15 of the token, read little-endian.
 */
public record ResumeToken(long first, long second)
{
    /** Bytes of a token on the wire. */
    public static final int LENGTH = 16;

    /**
     * @return a new token of 128 random bits. Cold path: one per WELCOME.
     */
    public static ResumeToken random(final SecureRandom random)
    {
        return new ResumeToken(random.nextLong(), random.nextLong());
    }

    /**
     * @return the token held in the {@link #LENGTH} bytes at {@code index}.
     */
    public static ResumeToken read(final DirectBuffer buffer, final int index)
    {
        return new ResumeToken(
            buffer.getLong(index, ByteOrder.LITTLE_ENDIAN), buffer.getLong(index + 8, ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * Writes the token's {@link #LENGTH} bytes at {@code index}.
     *
     * @return the index after the token.
     */
    public int write(final MutableDirectBuffer buffer, final int index)
    {
        buffer.putLong(index, first, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(index + 8, second, ByteOrder.LITTLE_ENDIAN);
        return index + LENGTH;
    }

    public String toString()
    {
        return "ResumeToken{redacted}";
    }
}
