package io.tickwire.bots;

import java.util.OptionalDouble;

/**
 * What a run must achieve to pass, besides every bot joining. A threshold left empty is not checked.
 *
 * @param maxErrors             most errors of all kinds, 0 or more.
 * @param maxP99LatencyMs       most the 99th percentile of input-to-applied latency may be, in milliseconds.
 * @param minSnapshotsPerSecond fewest snapshots per second any joined bot may have received over its joined time.
 * @param maxP99RttMs           most the 99th percentile of the ping round trip may be, in milliseconds.
 * @param maxPresenceMismatches most rooms whose bots may disagree on who is in the room at the end of the run, 0 or
 *                              more.
 */
public record SwarmThresholds(
    long maxErrors,
    OptionalDouble maxP99LatencyMs,
    OptionalDouble minSnapshotsPerSecond,
    OptionalDouble maxP99RttMs,
    long maxPresenceMismatches)
{
    /** No error and no presence mismatch allowed, nothing else checked. */
    public static final SwarmThresholds DEFAULT =
        new SwarmThresholds(0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

    public SwarmThresholds
    {
        if (maxErrors < 0 || maxPresenceMismatches < 0)
        {
            throw new IllegalArgumentException("max errors and max presence mismatches must be 0 or more: " +
                maxErrors + ", " + maxPresenceMismatches);
        }
        requireNonNegative("max p99 latency", maxP99LatencyMs);
        requireNonNegative("min snapshot rate", minSnapshotsPerSecond);
        requireNonNegative("max p99 rtt", maxP99RttMs);
    }

    /**
     * Thresholds that allow no presence mismatch.
     */
    public SwarmThresholds(
        final long maxErrors,
        final OptionalDouble maxP99LatencyMs,
        final OptionalDouble minSnapshotsPerSecond,
        final OptionalDouble maxP99RttMs)
    {
        this(maxErrors, maxP99LatencyMs, minSnapshotsPerSecond, maxP99RttMs, 0);
    }

    private static void requireNonNegative(final String name, final OptionalDouble value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(name + " must not be null; use OptionalDouble.empty()");
        }
        if (value.isPresent() && !(value.getAsDouble() >= 0 && value.getAsDouble() < Double.POSITIVE_INFINITY))
        {
            throw new IllegalArgumentException(name + " must be a finite number, 0 or more: " + value.getAsDouble());
        }
    }
}
