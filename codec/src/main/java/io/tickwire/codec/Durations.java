package io.tickwire.codec;

import java.util.concurrent.TimeUnit;

/**
 * Parses the durations given on the command lines of the server and the bots: a whole number followed by a unit,
 * {@code ms}, {@code s}, {@code m} or {@code h}, for example {@code 500ms}, {@code 20s} or {@code 2m}.
 */
public final class Durations
{
    private static final long MAX_DURATION_NS = TimeUnit.DAYS.toNanos(1);

    private Durations()
    {
    }

    /**
     * @param text a duration such as {@code 20s}; surrounding white space is ignored.
     * @return the duration in nanoseconds.
     * @throws IllegalArgumentException when the text is not a whole number with a known unit, or the duration is
     *                                  longer than a day.
     */
    public static long parseNs(final String text)
    {
        final String trimmed = text.trim();
        int digits = 0;
        while (digits < trimmed.length() && isAsciiDigit(trimmed.charAt(digits)))
        {
            digits++;
        }
        if (digits == 0 || digits > 12)
        {
            throw new IllegalArgumentException("not a duration (expected e.g. 500ms, 20s, 2m): '" + text + "'");
        }

        final long amount = Long.parseLong(trimmed.substring(0, digits));
        final TimeUnit unit = unitOf(trimmed.substring(digits), text);
        final long durationNs = unit.toNanos(amount);
        if (durationNs > MAX_DURATION_NS)
        {
            throw new IllegalArgumentException("duration longer than a day: '" + text + "'");
        }
        return durationNs;
    }

    private static boolean isAsciiDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }

    private static TimeUnit unitOf(final String suffix, final String text)
    {
        switch (suffix)
        {
            case "ms":
                return TimeUnit.MILLISECONDS;
            case "s":
                return TimeUnit.SECONDS;
            case "m":
                return TimeUnit.MINUTES;
            case "h":
                return TimeUnit.HOURS;
            default:
                throw new IllegalArgumentException("unknown unit in duration (use ms, s, m or h): '" + text + "'");
        }
    }
}
