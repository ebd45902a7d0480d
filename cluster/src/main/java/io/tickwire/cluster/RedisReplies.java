package io.tickwire.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checked reading of script replies, which Lettuce hands over as {@code byte[]} (bulk strings, our value codec),
 * {@link Long} (integers), {@link String} (status) and {@link List} (arrays). Anything of another shape is a
 * {@link RedisReplyException}: bytes from Redis are checked like bytes from the network.
 */
final class RedisReplies
{
    private RedisReplies()
    {
    }

    /** Thrown for a reply of an unexpected shape. */
    static final class RedisReplyException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        RedisReplyException(final String message)
        {
            super(message);
        }
    }

    static String string(final Object reply)
    {
        if (reply instanceof byte[])
        {
            return new String((byte[])reply, StandardCharsets.UTF_8);
        }
        if (reply instanceof String || reply == null)
        {
            return (String)reply;
        }
        if (reply instanceof Long)
        {
            return reply.toString();
        }
        throw new RedisReplyException("not a string: " + reply.getClass().getSimpleName());
    }

    static List<?> list(final Object reply)
    {
        if (reply instanceof List)
        {
            return (List<?>)reply;
        }
        throw new RedisReplyException("not an array: " + (reply == null ? "nil" : reply.getClass().getSimpleName()));
    }

    static List<String> strings(final Object reply)
    {
        final List<?> items = list(reply);
        final List<String> out = new ArrayList<>(items.size());
        for (final Object item : items)
        {
            out.add(string(item));
        }
        return out;
    }

    /** @return the first element of an array reply as a string: the status word of our scripts */
    static String status(final Object reply)
    {
        final List<?> items = list(reply);
        if (items.isEmpty())
        {
            throw new RedisReplyException("empty reply");
        }
        return string(items.get(0));
    }

    static long parseLong(final String text, final long fallback)
    {
        if (text == null || text.isEmpty() || text.length() > 19)
        {
            return fallback;
        }
        try
        {
            return Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return fallback;
        }
    }
}
