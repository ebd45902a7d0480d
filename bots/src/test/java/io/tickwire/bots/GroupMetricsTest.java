package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The group's histograms report only samples from the end of the warm-up on, chosen without a branch on the time, and
 * recording allocates nothing per sample (the thread's allocation counter may move by a few bytes over a round, from
 * the JVM itself, never by an object per sample).
 */
class GroupMetricsTest
{
    private static final long WARMUP_END_NS = 5_000_000_000L;
    private static final long SAMPLES_PER_ROUND = 300_000;

    @Test
    void samplesOfTheWarmUpAreDroppedAndLaterOnesKept()
    {
        final GroupMetrics metrics = new GroupMetrics(WARMUP_END_NS);

        metrics.recordInputLatency(7_000_000, WARMUP_END_NS - 1);
        metrics.recordRtt(1_000_000, 0);
        metrics.recordInputLatency(9_000_000, WARMUP_END_NS);
        metrics.recordJitter(-5_000, WARMUP_END_NS + 1);
        metrics.recordLoopLag(120_000_000_000L, Long.MAX_VALUE);
        metrics.recordMessageLatency(2_000, WARMUP_END_NS);

        assertEquals(1, metrics.inputLatencyUs().getTotalCount());
        assertEquals(9_000, metrics.inputLatencyUs().getMaxValue(), 9_000 / 1000.0);
        assertEquals(0, metrics.rttUs().getTotalCount());
        assertEquals(0, metrics.jitterUs().getMaxValue(), "a negative sample counts as 0");
        assertEquals(GroupMetrics.MAX_RECORDED_US, metrics.loopLagUs().getMaxValue(),
            GroupMetrics.MAX_RECORDED_US / 1000.0, "a sample past the range counts as its end");
        assertEquals(1, metrics.messageLatencyUs().getTotalCount());
    }

    @Test
    void recordingAllocatesNothing()
    {
        final GroupMetrics metrics = new GroupMetrics(WARMUP_END_NS);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        for (int round = 0; round < 5; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (long i = 0; i < SAMPLES_PER_ROUND / 3; i++)
            {
                final long nowNs = WARMUP_END_NS - 50_000 + i;
                metrics.recordInputLatency(i * 1_000, nowNs);
                metrics.recordJitter(i, nowNs);
                metrics.recordLoopLag(i * 10, nowNs);
            }
            if (round > 2)
            {
                final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
                assertTrue(allocated < SAMPLES_PER_ROUND / 100, allocated + " bytes allocated for " +
                    SAMPLES_PER_ROUND + " samples (one object per sample would be at least 16 bytes each)");
            }
        }
    }
}
