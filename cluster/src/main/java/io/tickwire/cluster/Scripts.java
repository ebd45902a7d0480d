package io.tickwire.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of design §2, each the common prelude ({@code prelude.lua}) followed by its body, read from
 * {@code io/tickwire/cluster/*.lua} once. Redis caches a script by the SHA-1 of its text, which is computed here so
 * {@code EVALSHA} needs no round trip to learn it. Immutable.
 */
enum Scripts
{
    HEARTBEAT("heartbeat"),
    REAP("reap"),
    SYNC("sync"),
    RESERVE("reserve"),
    CONSUME("consume"),
    CHECKPOINT("checkpoint"),
    CLAIM("claim"),
    RELEASE("release"),
    LEAVE("leave");

    private final String text;
    private final String sha;

    Scripts(final String name)
    {
        text = resource("prelude") + resource(name);
        sha = sha1Hex(text);
    }

    /** @return the whole script: prelude and body */
    String text()
    {
        return text;
    }

    /** @return the SHA-1 of {@link #text()}, lower-case hex, as {@code SCRIPT LOAD} answers it */
    String sha()
    {
        return sha;
    }

    private static String resource(final String name)
    {
        try (InputStream in = Scripts.class.getResourceAsStream(name + ".lua"))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing script " + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String sha1Hex(final String text)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(
                StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-1 is required of every JDK", ex);
        }
    }
}
