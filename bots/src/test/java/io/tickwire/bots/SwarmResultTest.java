package io.tickwire.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report logic over hand-made bot results and histograms of known samples: rates, percentiles, churn figures,
 * each assertion passing and failing, and the JSON report read back.
 */
class SwarmResultTest
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final URI URL = URI.create("ws://127.0.0.1:7777/ws");
    private static final SwarmConfig CONFIG = SwarmConfig.of(URL, 3, 2, TimeUnit.SECONDS.toNanos(10));
    private static final double HISTOGRAM_PRECISION = 0.002;

    @Test
    void ratesArePerBotOverItsJoinedTimeAveragedAndMinimisedOverJoinedBots()
    {
        final BotResult twoSeconds = joined(0, 2 * SECOND_NS, 60, 6_000, 40);
        final BotResult halfSecond = joined(1, SECOND_NS / 2, 10, 500, 10);
        final BotResult neverJoined = notJoined(2, 0);

        assertEquals(30.0, twoSeconds.snapshotsPerSecond(), 1e-9);
        assertEquals(3_000.0, twoSeconds.bytesPerSecond(), 1e-9);
        assertEquals(1_000.0, twoSeconds.fullSnapshotBytesPerSecond(), 1e-9);
        assertEquals(1_900.0, twoSeconds.deltaSnapshotBytesPerSecond(), 1e-9);
        assertEquals(20.0, halfSecond.snapshotsPerSecond(), 1e-9);
        assertEquals(0.0, neverJoined.snapshotsPerSecond());
        assertEquals(0.0, neverJoined.bytesPerSecond());

        final SwarmResult result = result(CONFIG, List.of(twoSeconds, halfSecond, neverJoined), Map.of());
        assertEquals(25.0, result.meanSnapshotsPerSecond(), 1e-9);
        assertEquals(20.0, result.minSnapshotsPerSecond(), 1e-9);
        assertEquals(2_000.0, result.meanBytesPerSecond(), 1e-9);
        assertEquals(1_000.0, result.minBytesPerSecond(), 1e-9);
        assertEquals((1_000.0 + 332.0) / 2, result.meanFullSnapshotBytesPerSecond(), 1e-9);
        assertEquals((1_900.0 + 634.0) / 2, result.meanDeltaSnapshotBytesPerSecond(), 1e-9);
        assertEquals(70, result.snapshotsReceived());
        assertEquals(2, result.fullSnapshots());
        assertEquals(68, result.deltaSnapshots());
        assertEquals(2_000 + 166, result.fullSnapshotBytes());
        assertEquals(3_800 + 317, result.deltaSnapshotBytes());
        assertEquals(50, result.inputsSent());
        assertEquals(3, result.connectedCount());
        assertEquals(2, result.joinedCount());
    }

    @Test
    void noJoinedBotMeansZeroRates()
    {
        final SwarmResult result = result(CONFIG, List.of(notJoined(0, 1)), Map.of(BotError.CONNECT_FAILED, 1L));

        assertEquals(0.0, result.meanSnapshotsPerSecond());
        assertEquals(0.0, result.minSnapshotsPerSecond());
        assertEquals(0.0, result.meanBytesPerSecond());
        assertEquals(0.0, result.minBytesPerSecond());
    }

    @Test
    void percentilesComeFromTheMergedSamplesInMilliseconds()
    {
        final Histogram latencyUs = GroupMetrics.newHistogram();
        final Histogram rttUs = GroupMetrics.newHistogram();
        final Histogram jitterUs = GroupMetrics.newHistogram();
        for (int ms = 1; ms <= 1000; ms++)
        {
            latencyUs.recordValue(ms * 1000L);
            rttUs.recordValue(ms * 100L);
        }
        jitterUs.recordValue(250);
        jitterUs.recordValue(750);

        final SwarmResult result = new SwarmResult(CONFIG, 10 * SECOND_NS, List.of(joined(0, SECOND_NS, 30, 1, 30)),
            Map.of(), latencyUs, rttUs, jitterUs, samples(2_000));

        assertEquals(1000, result.latencySamples());
        assertPercentile(500, result.latencyPercentileMs(50));
        assertPercentile(900, result.latencyPercentileMs(90));
        assertPercentile(990, result.latencyPercentileMs(99));
        assertPercentile(999, result.latencyPercentileMs(99.9));
        assertPercentile(1000, result.latencyPercentileMs(100));
        assertPercentile(50, result.rttPercentileMs(50));
        assertPercentile(99, result.rttPercentileMs(99));
        assertPercentile(0.25, result.jitterPercentileMs(50));
        assertPercentile(0.75, result.jitterPercentileMs(100));
        assertEquals(2, result.jitterSamples());
        assertPercentile(2, result.loopLagPercentileMs(99));
        assertEquals(1, result.loopLagSamples());
    }

    @Test
    void withoutSamplesPercentilesAreNaN()
    {
        final SwarmResult result = result(CONFIG, List.of(joined(0, SECOND_NS, 30, 100, 30)), Map.of());

        assertEquals(0, result.latencySamples());
        assertEquals(0, result.rttSamples());
        assertTrue(Double.isNaN(result.latencyPercentileMs(99)));
        assertTrue(Double.isNaN(result.rttPercentileMs(50)));
        assertTrue(Double.isNaN(result.jitterPercentileMs(100)));
        assertTrue(Double.isNaN(result.loopLagPercentileMs(50)));
    }

    @Test
    void countsDroppedBotsThoseThatCameBackAndReconnects()
    {
        final List<BotResult> bots = List.of(
            bot(0, 2, 0, 2, true),
            bot(1, 1, 0, 0, false),
            bot(2, 0, 1, 0, false),
            bot(3, 0, 0, 0, true),
            bot(4, 1, 1, 1, false));

        final SwarmResult result = result(CONFIG, bots, Map.of());

        assertEquals(4, result.droppedBots());
        assertEquals(1, result.returnedBots());
        assertEquals(3, result.reconnects());
        assertEquals(4, result.plannedDrops());
        assertEquals(2, result.unplannedDisconnects());
    }

    @Test
    void maxErrorsPassesUpToTheLimitAndFailsBeyondIt()
    {
        final List<BotResult> allJoined = List.of(joined(0, SECOND_NS, 30, 100, 30), joined(1, SECOND_NS, 30, 100, 30));
        final SwarmResult clean = result(CONFIG, allJoined, Map.of(BotError.NOTICE, 0L));
        assertTrue(clean.passed());
        assertEquals(SwarmResult.EXIT_PASSED, clean.exitCode());
        assertEquals(Map.of(), clean.errorsByKind());
        assertEquals(List.of("max-errors", "bots-joined", "max-presence-mismatches"), names(clean));

        final Map<BotError, Long> threeErrors = Map.of(BotError.NOTICE, 2L, BotError.STALE_SNAPSHOT, 1L);
        final SwarmResult withErrors = result(CONFIG, allJoined, threeErrors);
        assertFalse(withErrors.passed());
        assertEquals(SwarmResult.EXIT_FAILED, withErrors.exitCode());
        assertEquals(3, withErrors.errorCount());
        assertEquals(new SwarmAssertion("max-errors", "<=", 0, 3, false), withErrors.assertions().get(0));

        final SwarmConfig tolerant = withThresholds(new SwarmThresholds(
            3, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
        assertTrue(result(tolerant, allJoined, threeErrors).passed());
        final SwarmConfig lessTolerant = withThresholds(new SwarmThresholds(
            2, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
        assertFalse(result(lessTolerant, allJoined, threeErrors).passed());
    }

    @Test
    void everyBotMustHaveJoined()
    {
        final List<BotResult> oneMissing = List.of(joined(0, SECOND_NS, 30, 100, 30), notJoined(1, 0));

        final SwarmResult result = result(CONFIG, oneMissing, Map.of());

        assertFalse(result.passed());
        assertEquals(new SwarmAssertion("bots-joined", ">=", 2, 1, false), result.assertions().get(1));
    }

    @Test
    void p99LatencyAssertionPassesAtOrBelowTheLimitAndFailsAboveOrWithoutSamples()
    {
        final Histogram latencyUs = samples(10_000, 20_000);
        final List<BotResult> bots = List.of(joined(0, SECOND_NS, 30, 100, 30));

        assertTrue(check(latencyThreshold(20.1), bots, latencyUs, GroupMetrics.newHistogram()).passed());
        final SwarmAssertion failed = check(latencyThreshold(19.0), bots, latencyUs, GroupMetrics.newHistogram());
        assertFalse(failed.passed());
        assertEquals("max-p99-latency-ms", failed.name());
        assertEquals(20.0, failed.actual(), 20 * HISTOGRAM_PRECISION);
        final SwarmAssertion nothing = check(
            latencyThreshold(1000), bots, GroupMetrics.newHistogram(), GroupMetrics.newHistogram());
        assertFalse(nothing.passed());
        assertTrue(Double.isNaN(nothing.actual()));
    }

    @Test
    void minSnapshotRateAssertionChecksTheSlowestJoinedBot()
    {
        final List<BotResult> bots =
            List.of(joined(0, SECOND_NS, 30, 100, 30), joined(1, SECOND_NS, 25, 100, 25), notJoined(2, 0));
        final SwarmConfig atLeast25 = withThresholds(new SwarmThresholds(
            0, OptionalDouble.empty(), OptionalDouble.of(25), OptionalDouble.empty()));
        final SwarmConfig atLeast26 = withThresholds(new SwarmThresholds(
            0, OptionalDouble.empty(), OptionalDouble.of(26), OptionalDouble.empty()));

        final SwarmAssertion passed = result(atLeast25, bots, Map.of()).assertions().get(2);
        final SwarmAssertion failed = result(atLeast26, bots, Map.of()).assertions().get(2);

        assertEquals(new SwarmAssertion("min-snapshot-rate", ">=", 25, 25, true), passed);
        assertEquals(new SwarmAssertion("min-snapshot-rate", ">=", 26, 25, false), failed);
    }

    @Test
    void p99RttAssertionPassesAtOrBelowTheLimitAndFailsAbove()
    {
        final Histogram rttUs = samples(500, 2_000);
        final List<BotResult> bots = List.of(joined(0, SECOND_NS, 30, 100, 30));
        final SwarmConfig atMost3 = withThresholds(new SwarmThresholds(
            0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(3)));
        final SwarmConfig atMost1 = withThresholds(new SwarmThresholds(
            0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(1)));

        final SwarmAssertion passed = check(atMost3, bots, GroupMetrics.newHistogram(), rttUs);
        final SwarmAssertion failed = check(atMost1, bots, GroupMetrics.newHistogram(), rttUs);

        assertTrue(passed.passed());
        assertEquals("max-p99-rtt-ms", passed.name());
        assertFalse(failed.passed());
        assertEquals(2.0, failed.actual(), 2 * HISTOGRAM_PRECISION);
    }

    @Test
    void theJsonReportReadsBackWithTheSameFigures() throws Exception
    {
        final SwarmConfig config = CONFIG.toBuilder()
            .churnPerSecond(0.05)
            .behaviour(Behaviour.CHASE)
            .thresholds(new SwarmThresholds(1, OptionalDouble.of(50), OptionalDouble.empty(), OptionalDouble.of(5)))
            .build();
        final Map<BotError, Long> errors = new EnumMap<>(BotError.class);
        errors.put(BotError.CONNECT_FAILED, 2L);
        final List<BotResult> bots = List.of(joined(0, 2 * SECOND_NS, 60, 6_000, 40), bot(1, 1, 0, 1, true),
            notJoined(2, 2));
        final SwarmResult result =
            new SwarmResult(config, 10 * SECOND_NS, bots, errors, samples(10_000, 40_000), samples(1_000, 3_000),
                GroupMetrics.newHistogram(), samples(100, 200, 300), samples(25_000), Map.of("chat", 7L),
                new PresenceAudit.Result(2, 1));

        final JsonNode json = new ObjectMapper().readTree(result.toJson());

        assertEquals(List.of("config", "elapsedSeconds", "bots", "perBot", "snapshots", "inputs", "messages",
            "presence", "inputLatencyMs", "rttMs", "jitterMs", "messageLatencyMs", "loopLagMs", "connections",
            "matchmaker", "rehome", "swarmCpu", "errors", "assertions", "passed"), fieldNames(json));
        assertTrue(json.at("/matchmaker/url").isNull());
        assertEquals(0, json.at("/rehome/losses").asLong());
        assertEquals("chase", json.at("/config/behaviour").asText());
        assertEquals("arena", json.at("/config/game").asText());
        assertEquals(0, json.at("/config/thresholds/maxPresenceMismatches").asInt());
        assertEquals(7, json.at("/messages/byType/chat").asInt());
        assertEquals(result.messagesSent(), json.at("/messages/sent").asLong());
        assertEquals(result.acksSent(), json.at("/inputs/acksSent").asLong());
        assertEquals(2, json.at("/presence/rooms").asInt());
        assertEquals(1, json.at("/presence/mismatches").asInt());
        assertEquals(1, json.at("/messageLatencyMs/samples").asInt());
        assertEquals(25.0, json.at("/messageLatencyMs/max").asDouble(), 25 * HISTOGRAM_PRECISION);
        assertEquals(0.05, json.at("/config/churnPerSecond").asDouble());
        assertEquals(50.0, json.at("/config/thresholds/maxP99LatencyMs").asDouble());
        assertTrue(json.at("/config/thresholds/minSnapshotsPerSecond").isNull());
        assertEquals(10.0, json.at("/elapsedSeconds").asDouble());
        assertEquals(3, json.at("/bots/total").asInt());
        assertEquals(2, json.at("/bots/joined").asInt());
        assertEquals(1, json.at("/bots/dropped").asInt());
        assertEquals(1, json.at("/bots/returned").asInt());
        assertEquals(0, json.at("/bots/notReturned").asInt());
        assertEquals(result.meanSnapshotsPerSecond(), json.at("/perBot/snapshotsPerSecond/mean").asDouble());
        assertEquals(result.minBytesPerSecond(), json.at("/perBot/bytesPerSecond/min").asDouble());
        assertEquals(result.fullSnapshots(), json.at("/snapshots/full").asLong());
        assertEquals(result.deltaSnapshotBytes(), json.at("/snapshots/deltaBytes").asLong());
        assertEquals(2, json.at("/inputLatencyMs/samples").asInt());
        assertEquals(result.latencyPercentileMs(99.9), json.at("/inputLatencyMs/p99.9").asDouble());
        assertEquals(40.0, json.at("/inputLatencyMs/max").asDouble(), 40 * HISTOGRAM_PRECISION);
        assertEquals(3.0, json.at("/rttMs/p99").asDouble(), 3 * HISTOGRAM_PRECISION);
        assertEquals(0, json.at("/jitterMs/samples").asInt());
        assertTrue(json.at("/jitterMs/p50").isNull());
        assertEquals(3, json.at("/loopLagMs/samples").asInt());
        assertEquals(0.3, json.at("/loopLagMs/max").asDouble());
        assertEquals(1, json.at("/connections/plannedDrops").asInt());
        assertEquals(1, json.at("/connections/reconnects").asInt());
        assertEquals(2, json.at("/errors/total").asInt());
        assertEquals(2, json.at("/errors/byKind/CONNECT_FAILED").asInt());

        final JsonNode assertions = json.get("assertions");
        assertEquals(5, assertions.size());
        assertEquals("max-presence-mismatches", assertions.at("/4/name").asText());
        assertEquals(1.0, assertions.at("/4/actual").asDouble());
        assertFalse(assertions.at("/4/passed").asBoolean());
        assertEquals("max-errors", assertions.at("/0/name").asText());
        assertEquals("<=", assertions.at("/0/operator").asText());
        assertFalse(assertions.at("/0/passed").asBoolean());
        assertEquals("bots-joined", assertions.at("/1/name").asText());
        assertEquals(3.0, assertions.at("/1/limit").asDouble());
        assertEquals(2.0, assertions.at("/1/actual").asDouble());
        assertTrue(assertions.at("/2/passed").asBoolean());
        assertEquals("max-p99-rtt-ms", assertions.at("/3/name").asText());
        assertFalse(json.get("passed").asBoolean());
    }

    @Test
    void summaryShowsTheFiguresChurnAssertionsAndEveryErrorKind()
    {
        final Map<BotError, Long> errors = new EnumMap<>(BotError.class);
        errors.put(BotError.MISSING_OWN_ENTITY, 2L);

        final String summary = new SwarmResult(CONFIG, 10 * SECOND_NS,
            List.of(joined(0, 2 * SECOND_NS, 60, 6_000, 40), bot(1, 1, 0, 1, true)), errors,
            samples(40_000), GroupMetrics.newHistogram(), samples(1_000), GroupMetrics.newHistogram()).summary();

        assertTrue(summary.contains("bots joined          2 / 2"), summary);
        assertTrue(summary.contains("snapshots/s per bot  mean 30.0  min 30.0"), summary);
        assertTrue(summary.contains("bytes/s per bot      mean 3000  min 3000"), summary);
        assertTrue(summary.contains("in snapshots full 1000, delta 1900"), summary);
        assertTrue(summary.contains("snapshots received   120  (2 full, 118 delta)"), summary);
        assertTrue(summary.contains("checksum mismatches  0"), summary);
        assertTrue(summary.contains("inputs sent          80"), summary);
        assertTrue(summary.contains("input latency ms     p50 40.03"), summary);
        assertTrue(summary.contains("round trip ms        no samples"), summary);
        assertTrue(summary.contains("snapshot jitter ms   p50 1.00"), summary);
        assertTrue(summary.contains("bot loop lag ms      no samples"), summary);
        assertTrue(summary.contains("0 unplanned, 1 planned (churn), 1 reconnects"), summary);
        assertTrue(summary.contains("dropped bots         1: 1 came back, 0 did not"), summary);
        assertTrue(summary.contains("MISSING_OWN_ENTITY   2"), summary);
        assertTrue(summary.contains("max-errors           2.00 <= 0.00  FAIL"), summary);
        assertTrue(summary.contains("bots-joined          2.00 >= 2.00  PASS"), summary);
        assertTrue(summary.contains("result               FAIL"), summary);
    }

    private static void assertPercentile(final double expectedMs, final double actualMs)
    {
        assertEquals(expectedMs, actualMs, expectedMs * HISTOGRAM_PRECISION);
    }

    private static SwarmAssertion check(
        final SwarmConfig config, final List<BotResult> bots, final Histogram latencyUs, final Histogram rttUs)
    {
        final SwarmResult result = new SwarmResult(config, 10 * SECOND_NS, bots, Map.of(), latencyUs, rttUs,
            GroupMetrics.newHistogram(), GroupMetrics.newHistogram());
        return result.assertions().get(2);
    }

    private static SwarmConfig latencyThreshold(final double maxP99Ms)
    {
        return withThresholds(
            new SwarmThresholds(0, OptionalDouble.of(maxP99Ms), OptionalDouble.empty(), OptionalDouble.empty()));
    }

    private static SwarmConfig withThresholds(final SwarmThresholds thresholds)
    {
        return CONFIG.toBuilder().thresholds(thresholds).build();
    }

    private static Histogram samples(final long... valuesUs)
    {
        final Histogram histogram = GroupMetrics.newHistogram();
        for (final long valueUs : valuesUs)
        {
            histogram.recordValue(valueUs);
        }
        return histogram;
    }

    private static List<String> names(final SwarmResult result)
    {
        return result.assertions().stream().map(SwarmAssertion::name).toList();
    }

    private static List<String> fieldNames(final JsonNode node)
    {
        final List<String> names = new java.util.ArrayList<>();
        for (final Iterator<String> it = node.fieldNames(); it.hasNext();)
        {
            names.add(it.next());
        }
        return names;
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
            inputs, 0, 0, 0, 0, 0, 0, true);
    }

    private static BotResult notJoined(final int index, final long errors)
    {
        return new BotResult(
            index, "arena-" + index % 2, errors == 0, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, errors, 0, 0, 0, false);
    }

    /**
     * @return a bot joined for 2 s at 30 snapshots a second (like {@code joined(index, 2 s, 60, 6000, 40)}) with the
     * given drops and reconnects.
     */
    private static BotResult bot(
        final int index, final long plannedDrops, final long unplannedDrops, final long reconnects,
        final boolean joinedAtEnd)
    {
        final BotResult base = joined(index, 2 * SECOND_NS, 60, 6_000, 40);
        return new BotResult(
            index, base.room(), true, true, base.joinedNs(), base.fullSnapshots(), base.deltaSnapshots(), 0,
            base.bytesReceived(), base.fullSnapshotBytes(), base.deltaSnapshotBytes(), base.inputsSent(), 0, 0, 0,
            plannedDrops, unplannedDrops, reconnects, joinedAtEnd);
    }

    private static SwarmResult result(
        final SwarmConfig config, final List<BotResult> bots, final Map<BotError, Long> errors)
    {
        return new SwarmResult(config, 10 * SECOND_NS, bots, errors, GroupMetrics.newHistogram(),
            GroupMetrics.newHistogram(), GroupMetrics.newHistogram(), GroupMetrics.newHistogram());
    }
}
