package io.tickwire.sim;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long one shard's ticking cycles take and how late their ticks start. The shard thread records without locks
 * or allocation; a metrics thread samples by interval.
 * <pre>
 *   shard thread (the only writer)              metrics thread (any, usually the scrape)
 *   onCycle(durationNs, latenessNs)             sampleDurations(), sampleLatenesses():
 *     recorder.recordValue   (wait-free)          the recorder swaps its active and inactive histograms and
 *     totals.lazySet(total + value)               hands back what was recorded since the previous sample
 * </pre>
 * One sample is one cycle that ran ticks, not one tick: a cycle that catches up k ticks is a single, longer
 * sample, and the catch-up itself is counted in {@link ShardCounters#catchUpTicks}. Histogram values are in
 * nanoseconds at 2 significant digits (1 %) and clamped to {@link #MAX_RECORDED_NS}, so the recorders never resize
 * (resizing would allocate on the shard thread); the totals are exact.
 */
public final class TickTimings
{
    /** Longest value a histogram holds; a longer stall is recorded as this, its overruns are counted elsewhere. */
    public static final long MAX_RECORDED_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGNIFICANT_DIGITS = 2;

    private final SingleWriterRecorder durations = new SingleWriterRecorder(MAX_RECORDED_NS, SIGNIFICANT_DIGITS);
    private final SingleWriterRecorder latenesses = new SingleWriterRecorder(MAX_RECORDED_NS, SIGNIFICANT_DIGITS);
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong durationTotalNs = new AtomicLong();
    private final AtomicLong latenessTotalNs = new AtomicLong();

    /**
     * Records one cycle that ran ticks. Shard thread only: the recorders and the totals have a single writer, which
     * is what makes {@code lazySet(get() + value)} a correct increment.
     *
     * @param durationNs from the cycle's clock read, before the ring is drained, to after its snapshots were offered.
     * @param latenessNs how long after its due time the cycle's first tick was claimed.
     */
    void onCycle(final long durationNs, final long latenessNs)
    {
        durations.recordValue(Math.min(durationNs, MAX_RECORDED_NS));
        latenesses.recordValue(Math.min(latenessNs, MAX_RECORDED_NS));
        durationTotalNs.lazySet(durationTotalNs.get() + durationNs);
        latenessTotalNs.lazySet(latenessTotalNs.get() + latenessNs);
        cycles.lazySet(cycles.get() + 1);
    }

    /**
     * Any thread. Each call ends the interval of the previous one, so two samplers would split the values between
     * them: have one (the metrics scrape). Allocates a histogram.
     *
     * @return the cycle durations recorded since the previous call, in nanoseconds.
     */
    public Histogram sampleDurations()
    {
        return durations.getIntervalHistogram();
    }

    /**
     * Any thread; the same interval contract as {@link #sampleDurations()}.
     *
     * @return the tick start latenesses recorded since the previous call, in nanoseconds.
     */
    public Histogram sampleLatenesses()
    {
        return latenesses.getIntervalHistogram();
    }

    /**
     * @return cycles recorded since start: the count of both durations and latenesses. Any thread.
     */
    public long cycleCount()
    {
        return cycles.get();
    }

    /**
     * @return the sum of every cycle duration since start, in nanoseconds, unclamped. Any thread.
     */
    public long durationTotalNs()
    {
        return durationTotalNs.get();
    }

    /**
     * @return the sum of every tick start lateness since start, in nanoseconds, unclamped. Any thread.
     */
    public long latenessTotalNs()
    {
        return latenessTotalNs.get();
    }
}
