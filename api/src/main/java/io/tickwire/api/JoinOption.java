package io.tickwire.api;

import java.nio.charset.StandardCharsets;

/**
 * One option a client may give when it joins (for example a score limit or a map), declared by the game type. On
 * the wire every option is a key and a text value; the server checks each against its declaration before the game
 * sees it, and refuses unknown keys.
 *
 * @param name         1..32 bytes of {@code [a-zA-Z0-9_.-]}.
 * @param integer      true for an integer option (decimal text within {@code min..max}); false for text of
 *                     {@code min..max} UTF-8 bytes without control characters.
 * @param min          smallest value (integer), or shortest length (text).
 * @param max          largest value (integer), or longest length (text), at most {@link #MAX_VALUE_LENGTH}.
 * @param defaultValue the value when the client gives none; must itself be valid.
 */
public record JoinOption(String name, boolean integer, int min, int max, String defaultValue)
{
    /** Most options one join may carry. */
    public static final int MAX_OPTIONS = 8;

    /** Longest option name, in bytes. */
    public static final int MAX_NAME_LENGTH = 32;

    /** Longest option value, in UTF-8 bytes. */
    public static final int MAX_VALUE_LENGTH = 64;

    public JoinOption
    {
        if (!isValidName(name))
        {
            throw new IllegalArgumentException("option name must be 1..32 of [a-zA-Z0-9_.-]: " + name);
        }
        if (min > max || (!integer && (min < 0 || max > MAX_VALUE_LENGTH)))
        {
            throw new IllegalArgumentException("option " + name + ": bad range " + min + ".." + max);
        }
        if (check(defaultValue, integer, min, max) != null)
        {
            throw new IllegalArgumentException("option " + name + ": bad default " + defaultValue);
        }
    }

    public static JoinOption integer(final String name, final int min, final int max, final int defaultValue)
    {
        return new JoinOption(name, true, min, max, Integer.toString(defaultValue));
    }

    public static JoinOption text(final String name, final int maxLength, final String defaultValue)
    {
        return new JoinOption(name, false, 0, maxLength, defaultValue);
    }

    /**
     * @return null when {@code value} is valid for this option, otherwise why not.
     */
    public String check(final String value)
    {
        return check(value, integer, min, max);
    }

    /**
     * @return true when {@code name} may name an option: 1..32 characters of {@code [a-zA-Z0-9_.-]}.
     */
    public static boolean isValidName(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' ||
                c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    private static String check(final String value, final boolean integer, final int min, final int max)
    {
        if (value == null)
        {
            return "missing value";
        }
        if (integer)
        {
            if (value.isEmpty() || value.length() > 11)
            {
                return "not an integer";
            }
            final long parsed;
            try
            {
                parsed = Long.parseLong(value);
            }
            catch (final NumberFormatException ex)
            {
                return "not an integer";
            }
            return parsed < min || parsed > max ? "out of range " + min + ".." + max : null;
        }
        final int length = value.getBytes(StandardCharsets.UTF_8).length;
        if (length < min || length > max)
        {
            return "length out of range " + min + ".." + max;
        }
        return value.chars().anyMatch(Character::isISOControl) ? "control character" : null;
    }
}
