package io.tickwire.bots;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarmResultTest
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final SwarmConfig CONFIG =
        SwarmConfig.of(URI.create("ws://127.0.0.1:7777/ws"), 3, 2, TimeUnit.SECONDS.toNanos(10));

    @Test
    void ratesArePerBotOverItsJoinedTimeAndAveragedOverJoinedBots()
    {
        final BotResult twoSeconds = joined(0, 2 * SECOND_NS, 60, 6_000, 40);
        final BotResult halfSecond = joined(1, SECOND_NS / 2, 10, 500, 10);
        final BotResult neverJoined = new BotResult(2, "arena-0", true, false, 0, 0, 0, 0, 100, 0, 0, 0, 0, 0);

        assertEquals(30.0, twoSeconds.snapshotsPerSecond(), 1e-9);
        assertEquals(3_000.0, twoSeconds.bytesPerSecond(), 1e-9);
        assertEquals(1_000.0, twoSeconds.fullSnapshotBytesPerSecond(), 1e-9);
        assertEquals(1_900.0, twoSeconds.deltaSnapshotBytesPerSecond(), 1e-9);
        assertEquals(20.0, halfSecond.snapshotsPerSecond(), 1e-9);
        assertEquals(0.0, neverJoined.snapshotsPerSecond());
        assertEquals(0.0, neverJoined.bytesPerSecond());
        assertEquals(0.0, neverJoined.fullSnapshotBytesPerSecond());
        assertEquals(0.0, neverJoined.deltaSnapshotBytesPerSecond());

        final SwarmResult result = result(List.of(twoSeconds, halfSecond, neverJoined), Map.of());
        assertEquals(25.0, result.meanSnapshotsPerSecond(), 1e-9);
        assertEquals(2_000.0, result.meanBytesPerSecond(), 1e-9);
        assertEquals((1_000.0 + 332.0) / 2, result.meanFullSnapshotBytesPerSecond(), 1e-9);
        assertEquals((1_900.0 + 634.0) / 2, result.meanDeltaSnapshotBytesPerSecond(), 1e-9);
        assertEquals(70, result.snapshotsReceived());
        assertEquals(2, result.fullSnapshots());
        assertEquals(68, result.deltaSnapshots());
        assertEquals(0, result.checksumMismatches());
        assertEquals(50, result.inputsSent());
        assertEquals(3, result.connectedCount());
        assertEquals(2, result.joinedCount());
    }

    @Test
    void noJoinedBotMeansZeroRates()
    {
        final SwarmResult result =
            result(List.of(new BotResult(0, "arena-0", false, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)), Map.of());

        assertEquals(0.0, result.meanSnapshotsPerSecond());
        assertEquals(0.0, result.meanBytesPerSecond());
        assertEquals(0.0, result.meanFullSnapshotBytesPerSecond());
        assertEquals(0.0, result.meanDeltaSnapshotBytesPerSecond());
    }

    @Test
    void passesOnlyWhenEveryBotJoinedAndNoErrorWasCounted()
    {
        final List<BotResult> allJoined = List.of(joined(0, SECOND_NS, 30, 100, 30), joined(1, SECOND_NS, 30, 100, 30));
        final SwarmResult clean = result(allJoined, Map.of(BotError.NOTICE, 0L));
        assertTrue(clean.passed());
        assertEquals(SwarmResult.EXIT_PASSED, clean.exitCode());
        assertEquals(Map.of(), clean.errorsByKind());

        final SwarmResult withErrors = result(allJoined, Map.of(BotError.NOTICE, 2L, BotError.STALE_SNAPSHOT, 1L));
        assertFalse(withErrors.passed());
        assertEquals(SwarmResult.EXIT_FAILED, withErrors.exitCode());
        assertEquals(3, withErrors.errorCount());

        final BotResult notJoined = new BotResult(1, "arena-1", true, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        final List<BotResult> oneMissing = List.of(joined(0, SECOND_NS, 30, 100, 30), notJoined);
        assertEquals(SwarmResult.EXIT_FAILED, result(oneMissing, Map.of()).exitCode());
    }

    @Test
    void checksumMismatchesAreSummedOverBots()
    {
        final BotResult first =
            new BotResult(0, "arena-0", true, true, SECOND_NS, 1, 20, 3, 2_000, 200, 1_500, 21, 0, 3);
        final BotResult second =
            new BotResult(1, "arena-1", true, true, SECOND_NS, 1, 20, 1, 2_000, 200, 1_500, 21, 0, 1);

        final SwarmResult result = result(List.of(first, second), Map.of(BotError.CHECKSUM_MISMATCH, 4L));

        assertEquals(4, result.checksumMismatches());
        assertEquals(4, result.errorCount());
        assertFalse(result.passed());
        assertTrue(result.summary().contains("checksum mismatches  4"), result.summary());
    }

    @Test
    void summaryShowsTheFiguresAndEveryErrorKind()
    {
        final Map<BotError, Long> errors = new EnumMap<>(BotError.class);
        errors.put(BotError.MISSING_OWN_ENTITY, 2L);
        final Histogram latency = new Histogram(BotGroup.MAX_LATENCY_US, 3);
        latency.recordValue(40_000);

        final String summary = new SwarmResult(
            CONFIG, 10 * SECOND_NS, List.of(joined(0, 2 * SECOND_NS, 60, 6_000, 40)), errors, latency).summary();

        assertTrue(summary.contains("bots joined          1 / 1"), summary);
        assertTrue(summary.contains("snapshots/s per bot  30.0"), summary);
        assertTrue(summary.contains("bytes/s per bot      3000"), summary);
        assertTrue(summary.contains("in snapshots       full 1000  delta 1900"), summary);
        assertTrue(summary.contains("snapshots received   60  (1 full, 59 delta)"), summary);
        assertTrue(summary.contains("checksum mismatches  0"), summary);
        assertTrue(summary.contains("inputs sent          40"), summary);
        assertTrue(summary.contains("p50 40.0 ms"), summary);
        assertTrue(summary.contains("MISSING_OWN_ENTITY   2"), summary);
        assertTrue(summary.contains("FAIL: 0 bots did not join, 2 errors"), summary);
    }

    /**
     * @return a joined bot with one full snapshot of a third of {@code bytes}, the rest deltas taking 95% of the
     * remaining bytes (the rest being the welcome).
     */
    private static BotResult joined(
        final int index, final long joinedNs, final long snapshots, final long bytes, final long inputs)
    {
        final long fullBytes = bytes / 3;
        final long deltaBytes = (bytes - fullBytes) * 95 / 100;
        return new BotResult(
            index, "arena-" + index % 2, true, true, joinedNs, 1, snapshots - 1, 0, bytes, fullBytes, deltaBytes,
            inputs, 0, 0);
    }

    private static SwarmResult result(final List<BotResult> bots, final Map<BotError, Long> errors)
    {
        return new SwarmResult(CONFIG, 10 * SECOND_NS, bots, errors, new Histogram(BotGroup.MAX_LATENCY_US, 3));
    }
}
