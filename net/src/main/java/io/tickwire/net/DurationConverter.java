package io.tickwire.net;

import io.tickwire.codec.Durations;
import picocli.CommandLine;

import java.time.Duration;

/**
 * Converts command-line durations such as {@code 250ms}, {@code 20s} or {@code 5m}; see {@link Durations}.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration>
{
    public Duration convert(final String value)
    {
        return Duration.ofNanos(Durations.parseNs(value));
    }
}
