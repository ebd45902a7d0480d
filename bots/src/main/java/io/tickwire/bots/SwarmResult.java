package io.tickwire.bots;

import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of a swarm run: per-bot figures, totals, errors by kind and the input latency distribution. A run
 * passes when every bot joined and no error of any kind was counted.
 * <p>
 * Immutable once built, except that the histogram handed in must not be changed afterwards.
 */
public final class SwarmResult
{
    /** Process exit code of a run that passed. */
    public static final int EXIT_PASSED = 0;

    /** Process exit code of a run with errors, or in which some bot did not join. */
    public static final int EXIT_FAILED = 1;

    private final SwarmConfig config;
    private final long elapsedNs;
    private final List<BotResult> bots;
    private final Map<BotError, Long> errorsByKind;
    private final Histogram inputLatencyUs;

    /**
     * @param config         what was run.
     * @param elapsedNs      wall time of the run, from its start until its event loops had shut down, in ns.
     * @param bots           one result per bot, in bot index order.
     * @param errorsByKind   error counts by kind; kinds with no error may be missing or 0.
     * @param inputLatencyUs time from sending an input to the first snapshot that says it was applied, in µs.
     */
    public SwarmResult(
        final SwarmConfig config,
        final long elapsedNs,
        final List<BotResult> bots,
        final Map<BotError, Long> errorsByKind,
        final Histogram inputLatencyUs)
    {
        this.config = config;
        this.elapsedNs = elapsedNs;
        this.bots = List.copyOf(bots);
        final EnumMap<BotError, Long> nonZero = new EnumMap<>(BotError.class);
        errorsByKind.forEach((kind, count) ->
        {
            if (count != 0)
            {
                nonZero.put(kind, count);
            }
        });
        this.errorsByKind = Collections.unmodifiableMap(nonZero);
        this.inputLatencyUs = inputLatencyUs;
    }

    public SwarmConfig config()
    {
        return config;
    }

    public long elapsedNs()
    {
        return elapsedNs;
    }

    public List<BotResult> bots()
    {
        return bots;
    }

    /**
     * @return number of bots whose WebSocket handshake completed.
     */
    public int connectedCount()
    {
        return (int)bots.stream().filter(BotResult::connected).count();
    }

    /**
     * @return number of bots the server welcomed into their room.
     */
    public int joinedCount()
    {
        return (int)bots.stream().filter(BotResult::joined).count();
    }

    /**
     * @return snapshots per second per bot, each measured over the time that bot was joined, averaged over the bots
     * that joined; 0 when none did.
     */
    public double meanSnapshotsPerSecond()
    {
        return bots.stream().filter(BotResult::joined).mapToDouble(BotResult::snapshotsPerSecond).average().orElse(0);
    }

    /**
     * @return bytes received per second per bot, measured and averaged like {@link #meanSnapshotsPerSecond()}.
     */
    public double meanBytesPerSecond()
    {
        return bots.stream().filter(BotResult::joined).mapToDouble(BotResult::bytesPerSecond).average().orElse(0);
    }

    /**
     * @return bytes of full snapshots received per second per bot, measured and averaged like
     * {@link #meanSnapshotsPerSecond()}.
     */
    public double meanFullSnapshotBytesPerSecond()
    {
        return bots.stream().filter(BotResult::joined).mapToDouble(BotResult::fullSnapshotBytesPerSecond).average()
            .orElse(0);
    }

    /**
     * @return bytes of delta snapshots received per second per bot, measured and averaged like
     * {@link #meanSnapshotsPerSecond()}.
     */
    public double meanDeltaSnapshotBytesPerSecond()
    {
        return bots.stream().filter(BotResult::joined).mapToDouble(BotResult::deltaSnapshotBytesPerSecond).average()
            .orElse(0);
    }

    /**
     * @return snapshots received and verified by all bots, full and delta.
     */
    public long snapshotsReceived()
    {
        return bots.stream().mapToLong(BotResult::snapshotsReceived).sum();
    }

    public long fullSnapshots()
    {
        return bots.stream().mapToLong(BotResult::fullSnapshots).sum();
    }

    public long deltaSnapshots()
    {
        return bots.stream().mapToLong(BotResult::deltaSnapshots).sum();
    }

    /**
     * @return snapshots whose view checksum differed from the server's, all bots; each is also a
     * {@link BotError#CHECKSUM_MISMATCH} error.
     */
    public long checksumMismatches()
    {
        return bots.stream().mapToLong(BotResult::checksumMismatches).sum();
    }

    public long inputsSent()
    {
        return bots.stream().mapToLong(BotResult::inputsSent).sum();
    }

    public long inputsSkipped()
    {
        return bots.stream().mapToLong(BotResult::inputsSkipped).sum();
    }

    /**
     * @return the error counts by kind, only kinds with at least one error, in declaration order.
     */
    public Map<BotError, Long> errorsByKind()
    {
        return errorsByKind;
    }

    /**
     * @return errors of every kind.
     */
    public long errorCount()
    {
        return errorsByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @return number of inputs whose latency was measured.
     */
    public long inputLatencySamples()
    {
        return inputLatencyUs.getTotalCount();
    }

    /**
     * @param percentile in 0..100.
     * @return the input latency at that percentile, in microseconds; 0 when nothing was measured.
     */
    public long inputLatencyUs(final double percentile)
    {
        return inputLatencyUs.getValueAtPercentile(percentile);
    }

    /**
     * @return true when every bot joined and no error was counted.
     */
    public boolean passed()
    {
        return errorCount() == 0 && joinedCount() == bots.size();
    }

    /**
     * @return {@link #EXIT_PASSED} when the run {@link #passed()}, otherwise {@link #EXIT_FAILED}.
     */
    public int exitCode()
    {
        return passed() ? EXIT_PASSED : EXIT_FAILED;
    }

    /**
     * @return the summary report, several lines each ending in a line separator.
     */
    public String summary()
    {
        final StringBuilder text = new StringBuilder(1024);
        line(text, "Tickwire bots: %d bots, %d rooms, %s, %.1f s",
            bots.size(), config.rooms(), config.url(), elapsedNs / (double)TimeUnit.SECONDS.toNanos(1));
        line(text, "  bots connected       %d / %d", connectedCount(), bots.size());
        line(text, "  bots joined          %d / %d", joinedCount(), bots.size());
        line(text, "  snapshots/s per bot  %.1f  (mean over joined bots)", meanSnapshotsPerSecond());
        line(text, "  bytes/s per bot      %.0f  (received, mean over joined bots)", meanBytesPerSecond());
        line(text, "    in snapshots       full %.0f  delta %.0f", meanFullSnapshotBytesPerSecond(),
            meanDeltaSnapshotBytesPerSecond());
        line(text, "  snapshots received   %d  (%d full, %d delta)", snapshotsReceived(), fullSnapshots(),
            deltaSnapshots());
        line(text, "  checksum mismatches  %d", checksumMismatches());
        line(text, "  inputs sent          %d  (%d skipped: channel not writable)", inputsSent(), inputsSkipped());
        if (inputLatencySamples() > 0)
        {
            line(text, "  input latency        p50 %.1f ms  p99 %.1f ms  max %.1f ms  (%d inputs)",
                inputLatencyUs(50) / 1000.0, inputLatencyUs(99) / 1000.0, inputLatencyUs(100) / 1000.0,
                inputLatencySamples());
        }
        line(text, "  errors               %d", errorCount());
        errorsByKind.forEach((kind, count) -> line(text, "    %-20s %d  (%s)", kind, count, kind.description()));
        if (passed())
        {
            line(text, "  result               PASS");
        }
        else
        {
            line(text, "  result               FAIL: %d bots did not join, %d errors",
                bots.size() - joinedCount(), errorCount());
        }
        return text.toString();
    }

    private static void line(final StringBuilder text, final String format, final Object... args)
    {
        text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
