package io.tickwire.sim;

import io.tickwire.codec.Utf8;

/**
 * A small string map with limits: a player's or a room's metadata. Entries keep insertion order; a value set to
 * null removes its entry. Shard thread only.
 */
final class Metadata
{
    private final int maxEntries;
    private final int maxKeyLength;
    private final int maxValueLength;
    private final String[] keys;
    private final String[] values;
    private int count;

    Metadata(final int maxEntries, final int maxKeyLength, final int maxValueLength)
    {
        this.maxEntries = maxEntries;
        this.maxKeyLength = maxKeyLength;
        this.maxValueLength = maxValueLength;
        keys = new String[maxEntries];
        values = new String[maxEntries];
    }

    String get(final String key)
    {
        final int index = indexOf(key);
        return index < 0 ? null : values[index];
    }

    /**
     * Sets or, with a null value, removes an entry.
     *
     * @return true when the metadata changed.
     * @throws IllegalArgumentException beyond the entry limit or the length limits, or with text the protocol cannot
     *                                  carry (control characters, unpaired surrogates): refused here, at the game's
     *                                  call, rather than when the presence or welcome carrying it is encoded.
     */
    boolean put(final String key, final String value)
    {
        requireText("key", key, 1, maxKeyLength);
        final int index = indexOf(key);
        if (value == null)
        {
            if (index < 0)
            {
                return false;
            }
            System.arraycopy(keys, index + 1, keys, index, count - index - 1);
            System.arraycopy(values, index + 1, values, index, count - index - 1);
            count--;
            keys[count] = null;
            values[count] = null;
            return true;
        }

        requireText("value", value, 0, maxValueLength);
        if (index >= 0)
        {
            if (values[index].equals(value))
            {
                return false;
            }
            values[index] = value;
            return true;
        }
        if (count == maxEntries)
        {
            throw new IllegalArgumentException("at most " + maxEntries + " metadata entries");
        }
        keys[count] = key;
        values[count++] = value;
        return true;
    }

    int count()
    {
        return count;
    }

    /**
     * @return the keys, valid at indices {@code 0..count()-1}; the caller must not change the array.
     */
    String[] keys()
    {
        return keys;
    }

    /**
     * @return the values, parallel to {@link #keys()}; the caller must not change the array.
     */
    String[] values()
    {
        return values;
    }

    private int indexOf(final String key)
    {
        for (int i = 0; i < count; i++)
        {
            if (keys[i].equals(key))
            {
                return i;
            }
        }
        return -1;
    }

    private static void requireText(final String what, final String text, final int minLength, final int maxLength)
    {
        if (text == null)
        {
            throw new IllegalArgumentException("metadata " + what + " must not be null");
        }
        final int length = Utf8.encodedLength(text);
        if (length < minLength || length > maxLength)
        {
            throw new IllegalArgumentException(
                "metadata " + what + " must be " + minLength + ".." + maxLength + " UTF-8 bytes of text: " + text);
        }
    }
}
