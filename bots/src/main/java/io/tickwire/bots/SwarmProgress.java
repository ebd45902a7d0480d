package io.tickwire.bots;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A sample of a running swarm, taken about once a second from counters the event loops publish.
 *
 * @param elapsedNs          time since the run started, in nanoseconds.
 * @param connected          bots connected now, joined or waiting for the welcome.
 * @param joined             bots joined now.
 * @param snapshotsPerSecond snapshots received per second by all bots since the previous sample.
 * @param bytesPerSecondIn   payload bytes received per second by all bots since the previous sample.
 * @param errors             errors counted so far, all kinds.
 * @param reconnects         bots welcomed back after a planned drop so far.
 */
public record SwarmProgress(
    long elapsedNs,
    int connected,
    int joined,
    double snapshotsPerSecond,
    double bytesPerSecondIn,
    long errors,
    long reconnects)
{
    private static final double BYTES_PER_MB = 1_000_000;

    /**
     * @return the sample as one line of text, without a line separator.
     */
    public String line()
    {
        return String.format(
            Locale.ROOT,
            "[%6.1fs] connected %d  joined %d  snapshots/s %.0f  MB/s in %.2f  errors %d  reconnects %d",
            elapsedNs / (double)TimeUnit.SECONDS.toNanos(1), connected, joined, snapshotsPerSecond,
            bytesPerSecondIn / BYTES_PER_MB, errors, reconnects);
    }
}
