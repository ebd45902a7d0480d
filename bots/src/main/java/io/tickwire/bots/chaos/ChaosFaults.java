package io.tickwire.bots.chaos;

import java.util.concurrent.TimeUnit;

/**
 * What a {@link ChaosProxy} does to the connections through it. Rates are per connection and per second: each fault
 * period, each connection not already stalled or half-open draws once, so a rate of 0.05 hits about one connection
 * in twenty each second.
 *
 * @param latencyNs             delay added to every chunk of bytes, each direction, in nanoseconds.
 * @param jitterNs              up to this much more delay, drawn per chunk, in nanoseconds; order is kept.
 * @param resetsPerSecond       connections reset per second: both sides closed with an RST (SO_LINGER 0).
 * @param stallsPerSecond       connections stalled per second: nothing forwarded either way for {@code stallNs},
 *                              then forwarding resumes with what waited.
 * @param stallNs               how long a stall lasts, in nanoseconds.
 * @param halfOpensPerSecond    connections made half-open per second: bytes from the client are no longer read
 *                              (and so never reach the server) and the proxy never closes the connection by itself;
 *                              only the server closing its side ends it.
 * @param halfOpenDownlink      whether a half-open connection also forwards nothing from the server (what it sends
 *                              is read and dropped, so the proxy still sees the server close): the client hears
 *                              nothing either, as when the path between them is gone.
 * @param faultPeriodNs         how often faults are drawn, in nanoseconds.
 * @param seed                  seed of every draw.
 */
public record ChaosFaults(
    long latencyNs,
    long jitterNs,
    double resetsPerSecond,
    double stallsPerSecond,
    long stallNs,
    double halfOpensPerSecond,
    boolean halfOpenDownlink,
    long faultPeriodNs,
    long seed)
{
    /** No fault at all: the proxy only forwards. */
    public static final ChaosFaults NONE =
        new ChaosFaults(0, 0, 0, 0, 0, 0, false, TimeUnit.MILLISECONDS.toNanos(100), 1);

    public ChaosFaults
    {
        if (latencyNs < 0 || jitterNs < 0 || stallNs < 0 || faultPeriodNs <= 0)
        {
            throw new IllegalArgumentException("latency, jitter and stall must be 0 or more, the fault period more");
        }
        final double periodSeconds = faultPeriodNs / (double)TimeUnit.SECONDS.toNanos(1);
        if (resetsPerSecond < 0 || stallsPerSecond < 0 || halfOpensPerSecond < 0 ||
            (resetsPerSecond + stallsPerSecond + halfOpensPerSecond) * periodSeconds > 1)
        {
            throw new IllegalArgumentException("fault rates must be 0 or more, and at most one fault per period");
        }
    }
}
