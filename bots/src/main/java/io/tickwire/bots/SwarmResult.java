package io.tickwire.bots;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The outcome of a swarm run: per-bot figures, totals, errors by kind, the distributions of input latency, ping
 * round trip, snapshot jitter, message delivery latency and the bots' own event loop lag, room messages by type, the
 * presence audit, and the conditions the run had to meet. A run passes when every bot joined, it counted no more
 * errors and presence mismatches than allowed, and every threshold set in {@link SwarmConfig#thresholds()} held.
 * <p>
 * Immutable once built, except that the histograms handed in must not be changed afterwards.
 */
public final class SwarmResult
{
    /** Process exit code of a run that passed. */
    public static final int EXIT_PASSED = 0;

    /** Process exit code of a run that did not pass. */
    public static final int EXIT_FAILED = 1;

    /** Percentiles the report gives, named by {@link #PERCENTILE_NAMES}; 100 is the maximum. */
    static final double[] PERCENTILES = { 50, 90, 99, 99.9, 100 };
    static final String[] PERCENTILE_NAMES = { "p50", "p90", "p99", "p99.9", "max" };

    private static final double MICROS_PER_MILLI = 1000.0;

    private final SwarmConfig config;
    private final long elapsedNs;
    private final List<BotResult> bots;
    private final Map<BotError, Long> errorsByKind;
    private final Histogram inputLatencyUs;
    private final Histogram rttUs;
    private final Histogram jitterUs;
    private final Histogram loopLagUs;
    private final Histogram messageLatencyUs;
    private final Map<String, Long> messagesByType;
    private final PresenceAudit.Result presence;
    private final MatchmakingFigures matchmaking;
    private final SwarmCpu cpu;
    private final List<SwarmAssertion> assertions;

    /**
     * @param config         what was run.
     * @param elapsedNs      wall time of the run, from its start until its event loops had shut down, in ns.
     * @param bots           one result per bot, in bot index order.
     * @param errorsByKind   error counts by kind; kinds with no error may be missing or 0.
     * @param inputLatencyUs time from sending an input to the first snapshot that says it was applied, in µs.
     * @param rttUs          round trips of pings, in µs.
     * @param jitterUs       distance of each snapshot's inter-arrival time from the tick period, in µs.
     * @param loopLagUs      how much later than their period the bots' event loop cycles ran, in µs.
     */
    public SwarmResult(
        final SwarmConfig config,
        final long elapsedNs,
        final List<BotResult> bots,
        final Map<BotError, Long> errorsByKind,
        final Histogram inputLatencyUs,
        final Histogram rttUs,
        final Histogram jitterUs,
        final Histogram loopLagUs)
    {
        this(config, elapsedNs, bots, errorsByKind, inputLatencyUs, rttUs, jitterUs, loopLagUs,
            GroupMetrics.newHistogram(), Map.of(), PresenceAudit.Result.NONE);
    }

    /**
     * @param messageLatencyUs time from sending a message to its delivery back to the sender by the room, in µs.
     * @param messagesByType   room messages received by all bots, by type name.
     * @param presence         the audit of the bots' presence lists at the end of the run.
     * @see #SwarmResult(SwarmConfig, long, List, Map, Histogram, Histogram, Histogram, Histogram)
     */
    SwarmResult(
        final SwarmConfig config,
        final long elapsedNs,
        final List<BotResult> bots,
        final Map<BotError, Long> errorsByKind,
        final Histogram inputLatencyUs,
        final Histogram rttUs,
        final Histogram jitterUs,
        final Histogram loopLagUs,
        final Histogram messageLatencyUs,
        final Map<String, Long> messagesByType,
        final PresenceAudit.Result presence)
    {
        this(config, elapsedNs, bots, errorsByKind, inputLatencyUs, rttUs, jitterUs, loopLagUs, messageLatencyUs,
            messagesByType, presence, MatchmakingFigures.NONE, SwarmCpu.NONE);
    }

    /**
     * @param matchmaking the matchmaker's and re-homing figures; {@link MatchmakingFigures#NONE} without one.
     * @param cpu         the swarm's own CPU over its measurement window; {@link SwarmCpu#NONE} when not measured.
     * @see #SwarmResult(SwarmConfig, long, List, Map, Histogram, Histogram, Histogram, Histogram)
     */
    SwarmResult(
        final SwarmConfig config,
        final long elapsedNs,
        final List<BotResult> bots,
        final Map<BotError, Long> errorsByKind,
        final Histogram inputLatencyUs,
        final Histogram rttUs,
        final Histogram jitterUs,
        final Histogram loopLagUs,
        final Histogram messageLatencyUs,
        final Map<String, Long> messagesByType,
        final PresenceAudit.Result presence,
        final MatchmakingFigures matchmaking,
        final SwarmCpu cpu)
    {
        this.config = config;
        this.cpu = cpu;
        this.matchmaking = matchmaking;
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
        this.rttUs = rttUs;
        this.jitterUs = jitterUs;
        this.loopLagUs = loopLagUs;
        this.messageLatencyUs = messageLatencyUs;
        this.messagesByType = Collections.unmodifiableMap(new TreeMap<>(messagesByType));
        this.presence = presence;
        this.assertions = List.copyOf(checkThresholds());
    }

    public SwarmConfig config()
    {
        return config;
    }

    /**
     * @return the swarm process's own CPU over its measurement window, per second and per bot-tick.
     */
    public SwarmCpu cpu()
    {
        return cpu;
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
     * @return number of bots whose WebSocket handshake completed at least once.
     */
    public int connectedCount()
    {
        return count(BotResult::connected);
    }

    /**
     * @return number of bots the server welcomed into their room at least once.
     */
    public int joinedCount()
    {
        return count(BotResult::joined);
    }

    /**
     * @return bots whose connection dropped at least once while joined, on purpose (churn) or not.
     */
    public int droppedBots()
    {
        return count(BotResult::dropped);
    }

    /**
     * @return bots that dropped and were joined again when the run ended.
     */
    public int returnedBots()
    {
        return count(BotResult::returned);
    }

    /**
     * @return times bots were welcomed back after a planned drop, all bots.
     */
    public long reconnects()
    {
        return sum(BotResult::reconnects);
    }

    /**
     * @return seats taken back with a resume token after a drop, over all bots.
     */
    public long resumes()
    {
        return sum(BotResult::resumes);
    }

    /**
     * @return resumes the server refused, over all bots (each bot then joined afresh).
     */
    public long resumesRefused()
    {
        return sum(BotResult::resumesRefused);
    }

    /**
     * @return times bots closed their connection on purpose for churn, all bots.
     */
    public long plannedDrops()
    {
        return sum(BotResult::plannedDrops);
    }

    /**
     * @return times a joined bot's session ended without the bot or the run asking, all bots.
     */
    public long unplannedDisconnects()
    {
        return sum(BotResult::unplannedDrops);
    }

    /**
     * @return snapshots per second per bot, each measured over the time that bot was joined, averaged over the bots
     * that joined; 0 when none did.
     */
    public double meanSnapshotsPerSecond()
    {
        return meanOverJoined(BotResult::snapshotsPerSecond);
    }

    /**
     * @return the lowest snapshots per second of any bot that joined, measured like
     * {@link #meanSnapshotsPerSecond()}; 0 when none joined.
     */
    public double minSnapshotsPerSecond()
    {
        return minOverJoined(BotResult::snapshotsPerSecond);
    }

    /**
     * @return bytes received per second per bot, measured and averaged like {@link #meanSnapshotsPerSecond()}.
     */
    public double meanBytesPerSecond()
    {
        return meanOverJoined(BotResult::bytesPerSecond);
    }

    /**
     * @return the lowest bytes received per second of any bot that joined; 0 when none joined.
     */
    public double minBytesPerSecond()
    {
        return minOverJoined(BotResult::bytesPerSecond);
    }

    /**
     * @return bytes of full snapshots received per second per bot, measured and averaged like
     * {@link #meanSnapshotsPerSecond()}.
     */
    public double meanFullSnapshotBytesPerSecond()
    {
        return meanOverJoined(BotResult::fullSnapshotBytesPerSecond);
    }

    /**
     * @return bytes of delta snapshots received per second per bot, measured and averaged like
     * {@link #meanSnapshotsPerSecond()}.
     */
    public double meanDeltaSnapshotBytesPerSecond()
    {
        return meanOverJoined(BotResult::deltaSnapshotBytesPerSecond);
    }

    /**
     * @return snapshots received and verified by all bots, full and delta.
     */
    public long snapshotsReceived()
    {
        return sum(BotResult::snapshotsReceived);
    }

    public long fullSnapshots()
    {
        return sum(BotResult::fullSnapshots);
    }

    public long deltaSnapshots()
    {
        return sum(BotResult::deltaSnapshots);
    }

    public long fullSnapshotBytes()
    {
        return sum(BotResult::fullSnapshotBytes);
    }

    public long deltaSnapshotBytes()
    {
        return sum(BotResult::deltaSnapshotBytes);
    }

    /**
     * @return snapshots whose view checksum differed from the server's, all bots; each is also a
     * {@link BotError#CHECKSUM_MISMATCH} error.
     */
    public long checksumMismatches()
    {
        return sum(BotResult::checksumMismatches);
    }

    public long inputsSent()
    {
        return sum(BotResult::inputsSent);
    }

    public long inputsSkipped()
    {
        return sum(BotResult::inputsSkipped);
    }

    /**
     * @return writes the bots' sockets did not take whole, finished through their channels ({@link
     * BotResult#writesFinishedByChannel}).
     */
    public long writesFinishedByChannel()
    {
        return sum(BotResult::writesFinishedByChannel);
    }

    /**
     * @return inputs applied after the warm-up whose latency could not be timed, all bots; see
     * {@link BotResult#inputsUntimed()}.
     */
    public long inputsUntimed()
    {
        return sum(BotResult::inputsUntimed);
    }

    /**
     * @return client MESSAGEs sent, all bots.
     */
    public long messagesSent()
    {
        return sum(BotResult::messagesSent);
    }

    /**
     * @return room MESSAGEs received in order and valid, all bots.
     */
    public long messagesReceived()
    {
        return sum(BotResult::messagesReceived);
    }

    /**
     * @return room MESSAGEs that delivered a bot's own message back to it, all bots.
     */
    public long messagesDelivered()
    {
        return sum(BotResult::messagesDelivered);
    }

    /**
     * @return ACKs sent, all bots.
     */
    public long acksSent()
    {
        return sum(BotResult::acksSent);
    }

    /**
     * @return room messages received by all bots, by type name, in name order.
     */
    public Map<String, Long> messagesByType()
    {
        return messagesByType;
    }

    /**
     * @return rooms with a joined bot whose presence lists were compared at the end of the run.
     */
    public int presenceRooms()
    {
        return presence.rooms();
    }

    /**
     * @return rooms whose bots disagreed on who is in the room, or missed a joined bot, at the end of the run.
     */
    public int presenceMismatches()
    {
        return presence.mismatches();
    }

    /**
     * @return number of message deliveries timed, after the warm-up.
     */
    public long messageLatencySamples()
    {
        return messageLatencyUs.getTotalCount();
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return the message delivery latency at that percentile, in milliseconds; NaN when nothing was recorded.
     */
    public double messageLatencyPercentileMs(final double percentile)
    {
        return percentileMs(messageLatencyUs, percentile);
    }

    /**
     * @return the matchmaker's and re-homing figures; {@link MatchmakingFigures#NONE} without a matchmaker.
     */
    public MatchmakingFigures matchmaking()
    {
        return matchmaking;
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return the time of a matchmake request from being sent to its answer at that percentile, in milliseconds; NaN
     * when none was sent.
     */
    public double matchmakePercentileMs(final double percentile)
    {
        return percentileMs(matchmaking.requestUs(), percentile);
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return a bot's wait from asking the matchmaker to its answer, the client's queue included, at that percentile,
     * in milliseconds; NaN when none was answered.
     */
    public double matchmakeWaitPercentileMs(final double percentile)
    {
        return percentileMs(matchmaking.answerWaitUs(), percentile);
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return the time from a connection lost in a cluster to the bot's first verified snapshot after it, at that
     * percentile, in milliseconds; NaN when no bot re-homed.
     */
    public double rehomePercentileMs(final double percentile)
    {
        return percentileMs(matchmaking.rehomeUs(), percentile);
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
     * @return number of inputs whose latency was recorded, after the warm-up.
     */
    public long latencySamples()
    {
        return inputLatencyUs.getTotalCount();
    }

    /**
     * @return number of ping round trips recorded, after the warm-up.
     */
    public long rttSamples()
    {
        return rttUs.getTotalCount();
    }

    /**
     * @return number of snapshot inter-arrival times recorded, after the warm-up.
     */
    public long jitterSamples()
    {
        return jitterUs.getTotalCount();
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return the input-to-applied latency at that percentile, in milliseconds; NaN when nothing was recorded.
     */
    public double latencyPercentileMs(final double percentile)
    {
        return percentileMs(inputLatencyUs, percentile);
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return the ping round trip at that percentile, in milliseconds; NaN when nothing was recorded.
     */
    public double rttPercentileMs(final double percentile)
    {
        return percentileMs(rttUs, percentile);
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return the snapshot inter-arrival jitter at that percentile, in milliseconds; NaN when nothing was recorded.
     */
    public double jitterPercentileMs(final double percentile)
    {
        return percentileMs(jitterUs, percentile);
    }

    /**
     * @param percentile in 0..100; 100 gives the maximum.
     * @return how much later than its period a bots' event loop cycle ran, at that percentile, in milliseconds;
     * NaN when nothing was recorded. Lag of tens of milliseconds means the bots, not the server, may be what the
     * latency figures measure.
     */
    public double loopLagPercentileMs(final double percentile)
    {
        return percentileMs(loopLagUs, percentile);
    }

    /**
     * @return number of event loop cycles whose lag was recorded, after the warm-up.
     */
    public long loopLagSamples()
    {
        return loopLagUs.getTotalCount();
    }

    /**
     * @return every condition the run had to meet, in the order checked: errors, joins, each threshold set, then
     * presence mismatches.
     */
    public List<SwarmAssertion> assertions()
    {
        return assertions;
    }

    /**
     * @return true when every condition of {@link #assertions()} holds.
     */
    public boolean passed()
    {
        return assertions.stream().allMatch(SwarmAssertion::passed);
    }

    /**
     * @return {@link #EXIT_PASSED} when the run {@link #passed()}, otherwise {@link #EXIT_FAILED}.
     */
    public int exitCode()
    {
        return passed() ? EXIT_PASSED : EXIT_FAILED;
    }

    /**
     * @return the report as text, several lines each ending in a line separator.
     */
    public String summary()
    {
        return SwarmReport.text(this);
    }

    /**
     * @return the same report as a pretty-printed JSON object.
     */
    public String toJson()
    {
        return SwarmReport.json(this);
    }

    private List<SwarmAssertion> checkThresholds()
    {
        final SwarmThresholds thresholds = config.thresholds();
        final List<SwarmAssertion> checks = new ArrayList<>();
        checks.add(SwarmAssertion.atMost("max-errors", thresholds.maxErrors(), errorCount()));
        checks.add(SwarmAssertion.atLeast("bots-joined", bots.size(), joinedCount()));
        thresholds.maxP99LatencyMs().ifPresent(limit ->
            checks.add(SwarmAssertion.atMost("max-p99-latency-ms", limit, latencyPercentileMs(99))));
        thresholds.minSnapshotsPerSecond().ifPresent(limit ->
            checks.add(SwarmAssertion.atLeast("min-snapshot-rate", limit, minSnapshotsPerSecond())));
        thresholds.maxP99RttMs().ifPresent(limit ->
            checks.add(SwarmAssertion.atMost("max-p99-rtt-ms", limit, rttPercentileMs(99))));
        checks.add(SwarmAssertion.atMost(
            "max-presence-mismatches", thresholds.maxPresenceMismatches(), presenceMismatches()));
        return checks;
    }

    private int count(final Predicate<BotResult> predicate)
    {
        return (int)bots.stream().filter(predicate).count();
    }

    private long sum(final ToLongFunction<BotResult> figure)
    {
        return bots.stream().mapToLong(figure).sum();
    }

    private double meanOverJoined(final ToDoubleFunction<BotResult> figure)
    {
        return bots.stream().filter(BotResult::joined).mapToDouble(figure).average().orElse(0);
    }

    private double minOverJoined(final ToDoubleFunction<BotResult> figure)
    {
        return bots.stream().filter(BotResult::joined).mapToDouble(figure).min().orElse(0);
    }

    private static double percentileMs(final Histogram histogram, final double percentile)
    {
        return histogram.getTotalCount() == 0 ?
            Double.NaN : histogram.getValueAtPercentile(percentile) / MICROS_PER_MILLI;
    }
}
