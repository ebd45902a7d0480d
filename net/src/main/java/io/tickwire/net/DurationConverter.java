package io.tickwire.net;

import picocli.CommandLine;

import java.time.Duration;

/**
 * Parses durations written as a number and a unit: {@code 250ms}, {@code 20s}, {@code 5m}, {@code 1h}.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration>
{
    public Duration convert(final String value)
    {
        return parse(value);
    }

    public static Duration parse(final String value)
    {
        final String text = value.trim().toLowerCase();
        int split = 0;
        while (split < text.length() && Character.isDigit(text.charAt(split)))
        {
            split++;
        }
        if (split == 0 || split > 12)
        {
            throw new IllegalArgumentException("not a duration: '" + value + "' (use e.g. 500ms, 20s, 5m, 1h)");
        }

        final long amount = Long.parseLong(text.substring(0, split));
        switch (text.substring(split))
        {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
            case "":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                throw new IllegalArgumentException("not a duration: '" + value + "' (use e.g. 500ms, 20s, 5m, 1h)");
        }
    }
}
