package io.tickwire.bots;

import io.tickwire.api.schema.MessageType;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the bots of one event loop measure: live counters the swarm samples every second, errors by kind, and the
 * histograms of input-to-applied latency, ping round trip, snapshot inter-arrival jitter, message delivery latency and
 * the loop's own lag, and room messages received by type.
 * Samples taken before the end of the warm-up are not recorded. Nothing here allocates once built.
 * <p>
 * Single writer: every method but {@link #counter(int)} runs on the group's event loop. The counters are published
 * with ordered stores and may be read from any thread. The error counts and the histograms are plain fields, read
 * by the swarm's thread only after the event loop has terminated.
 */
final class GroupMetrics
{
    /** Gauge: bots connected now, joined or waiting for the welcome. */
    static final int CONNECTED = 0;

    /** Gauge: bots joined now. */
    static final int JOINED = 1;

    /** Snapshots applied and verified, all bots of the loop. */
    static final int SNAPSHOTS = 2;

    /** Payload bytes of every binary message received. */
    static final int BYTES_IN = 3;

    /** Errors of every kind. */
    static final int ERRORS = 4;

    /** Bots welcomed back after a drop. */
    static final int RECONNECTS = 5;

    /** Largest value the histograms record, in microseconds; longer ones are recorded as this. */
    static final long MAX_RECORDED_US = TimeUnit.SECONDS.toMicros(60);

    private static final int COUNTERS = 6;
    private static final int WARMUP = 0;
    private static final int MEASURED = 1;
    private static final int INPUT_LATENCY = 0;
    private static final int RTT = 1;
    private static final int JITTER = 2;
    private static final int LOOP_LAG = 3;
    private static final int MESSAGE_LATENCY = 4;
    private static final int HISTOGRAMS = 5;
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final Logger LOGGER = LoggerFactory.getLogger(GroupMetrics.class);

    private final AtomicLongArray counters = new AtomicLongArray(COUNTERS);
    private final long[] errorsByKind = new long[BotError.VALUES.length];
    private final boolean[] loggedErrors = new boolean[BotError.VALUES.length];
    /**
     * Row {@link #WARMUP} takes the samples of the warm-up, which are dropped, and row {@link #MEASURED} the rest: the
     * row is picked by arithmetic on the time, not by a branch, so the end of the warm-up flips no branch that the JIT
     * compiled as never taken, and costs no deoptimization storm at the start of the measured window.
     */
    private final Histogram[][] histograms = new Histogram[2][HISTOGRAMS];
    private final long[] messagesByType = new long[MessageType.MAX_ID + 1];
    private final String[] messageTypeNames = new String[MessageType.MAX_ID + 1];
    private final long warmupEndNs;

    /**
     * @param warmupEndNs when recording samples starts, on the group's clock in nanoseconds.
     */
    GroupMetrics(final long warmupEndNs)
    {
        this.warmupEndNs = warmupEndNs;
        for (final Histogram[] row : histograms)
        {
            for (int kind = 0; kind < HISTOGRAMS; kind++)
            {
                row[kind] = newHistogram();
            }
        }
    }

    /**
     * @return an empty histogram of the range and precision every histogram of the swarm has, in microseconds.
     */
    static Histogram newHistogram()
    {
        return new Histogram(MAX_RECORDED_US, SIGNIFICANT_DIGITS);
    }

    /**
     * Adds to a counter and publishes it with an ordered store; a single writer makes the read-add-store safe.
     *
     * @param counter one of {@link #CONNECTED}, {@link #JOINED}, {@link #SNAPSHOTS}, {@link #BYTES_IN},
     *                {@link #ERRORS} or {@link #RECONNECTS}.
     */
    void add(final int counter, final long delta)
    {
        counters.lazySet(counter, counters.get(counter) + delta);
    }

    /**
     * @return the published value of a counter; any thread.
     */
    long counter(final int counter)
    {
        return counters.get(counter);
    }

    /**
     * Keeps the {@link #CONNECTED} and {@link #JOINED} gauges in step with a bot's change of state.
     */
    void onStateChange(final BotSession.State from, final BotSession.State to)
    {
        add(CONNECTED, (isConnected(to) ? 1 : 0) - (isConnected(from) ? 1 : 0));
        add(JOINED, (to == BotSession.State.JOINED ? 1 : 0) - (from == BotSession.State.JOINED ? 1 : 0));
    }

    /**
     * Counts an error, and logs the first of each kind on this event loop, so a run with many failing bots logs a
     * handful of lines.
     *
     * @param detail what went wrong: a throwable, a notice, a number or a short text.
     */
    void onError(final int botIndex, final BotError kind, final Object detail)
    {
        errorsByKind[kind.ordinal()]++;
        add(ERRORS, 1);
        if (!loggedErrors[kind.ordinal()])
        {
            loggedErrors[kind.ordinal()] = true;
            if (detail instanceof Throwable)
            {
                LOGGER.warn("bot {}: {} (first on this thread)", botIndex, kind.description(), (Throwable)detail);
            }
            else
            {
                LOGGER.warn("bot {}: {}: {} (first on this thread)", botIndex, kind.description(), detail);
            }
        }
    }

    /**
     * @return errors of one kind counted on this event loop.
     */
    long errors(final BotError kind)
    {
        return errorsByKind[kind.ordinal()];
    }

    /**
     * Adds this loop's errors to {@code totals}, indexed by {@link BotError#ordinal()}.
     */
    void addErrorsTo(final long[] totals)
    {
        for (int i = 0; i < totals.length; i++)
        {
            totals[i] += errorsByKind[i];
        }
    }

    /**
     * @return whether samples taken at {@code nowNs} are recorded: the warm-up is over.
     */
    boolean isMeasuring(final long nowNs)
    {
        return nowNs >= warmupEndNs;
    }

    /**
     * Records the time from sending an input to the first snapshot that says it was applied, after the warm-up.
     */
    void recordInputLatency(final long latencyNs, final long nowNs)
    {
        record(INPUT_LATENCY, latencyNs, nowNs);
    }

    /**
     * Records the round trip of a ping, after the warm-up.
     */
    void recordRtt(final long rttNs, final long nowNs)
    {
        record(RTT, rttNs, nowNs);
    }

    /**
     * Records how far a snapshot's inter-arrival time was from the tick period, after the warm-up.
     */
    void recordJitter(final long jitterNs, final long nowNs)
    {
        record(JITTER, jitterNs, nowNs);
    }

    /**
     * Records how much later than its period the group's cycle ran: a loop too busy to keep time delays every bot's
     * sends and receives, and so inflates what the bots measure.
     */
    void recordLoopLag(final long lagNs, final long nowNs)
    {
        record(LOOP_LAG, lagNs, nowNs);
    }

    /**
     * Records the time from sending a message to its delivery back to the sender by the room, after the warm-up.
     */
    void recordMessageLatency(final long latencyNs, final long nowNs)
    {
        record(MESSAGE_LATENCY, latencyNs, nowNs);
    }

    /**
     * Counts a room message of {@code type} received, and keeps the type's name for the report.
     */
    void onMessageReceived(final MessageType type)
    {
        messagesByType[type.id()]++;
        messageTypeNames[type.id()] = type.name();
    }

    /**
     * Adds this loop's room messages received to {@code totals}, by type name; read only after the event loop has
     * terminated.
     */
    void addMessagesByTypeTo(final Map<String, Long> totals)
    {
        for (int id = 0; id < messagesByType.length; id++)
        {
            if (messagesByType[id] != 0)
            {
                totals.merge(messageTypeNames[id], messagesByType[id], Long::sum);
            }
        }
    }

    /**
     * @return message delivery latencies, in microseconds; read only after the event loop has terminated.
     */
    Histogram messageLatencyUs()
    {
        return histograms[MEASURED][MESSAGE_LATENCY];
    }

    /**
     * @return input-to-applied latencies, in microseconds; read only after the event loop has terminated.
     */
    Histogram inputLatencyUs()
    {
        return histograms[MEASURED][INPUT_LATENCY];
    }

    /**
     * @return ping round trips, in microseconds; read only after the event loop has terminated.
     */
    Histogram rttUs()
    {
        return histograms[MEASURED][RTT];
    }

    /**
     * @return snapshot inter-arrival jitter, in microseconds; read only after the event loop has terminated.
     */
    Histogram jitterUs()
    {
        return histograms[MEASURED][JITTER];
    }

    /**
     * @return lateness of the group's cycles, in microseconds; read only after the event loop has terminated.
     */
    Histogram loopLagUs()
    {
        return histograms[MEASURED][LOOP_LAG];
    }

    private void record(final int kind, final long valueNs, final long nowNs)
    {
        final int row = (int)((warmupEndNs - 1 - nowNs) >>> (Long.SIZE - 1));
        final long valueUs = TimeUnit.NANOSECONDS.toMicros(valueNs);
        histograms[row][kind].recordValue(valueUs < 0 ? 0 : Math.min(valueUs, MAX_RECORDED_US));
    }

    private static boolean isConnected(final BotSession.State state)
    {
        return state == BotSession.State.JOINING || state == BotSession.State.JOINED;
    }
}
