package io.tickwire.sim;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RankOrderTest
{
    /** The largest offset above a batch's lowest rank that the order tells apart. */
    private static final long MAX_OFFSET = Long.MAX_VALUE >>> 21;

    /**
     * Batches as a tick makes them: ranks a drain apart (the shard's clock plus a place in the drain, and
     * {@link System#nanoTime()} may be below zero), repeated ranks (a snapshot that replaced another keeps the lower
     * one), unranked snapshots, and now and then a rank far above the rest. The order must list every index once,
     * lowest rank first, unranked last; ranks beyond the offsets' reach may tie among themselves and with unranked.
     */
    @Property(tries = 400)
    void listsEveryIndexOnceLowestRankFirstAndUnrankedLast(@ForAll("batches") final List<Long> batch)
    {
        final long[] ranks = batch.stream().mapToLong(Long::longValue).toArray();
        final long lowest = Arrays.stream(ranks).min().orElse(0);
        final long[] expected = Arrays.stream(ranks).map(rank -> clamped(rank, lowest)).sorted().toArray();
        Statistics.label("unranked").collect(batch.contains(ClientLink.UNRANKED));
        Statistics.label("beyond the offsets").collect(Arrays.stream(ranks).anyMatch(
            rank -> rank != ClientLink.UNRANKED && rank - lowest > MAX_OFFSET));

        final long[] order = ranks.clone();
        RankOrder.sort(order, order.length);

        final int[] indices = Arrays.stream(order).mapToInt(RankOrder::index).toArray();
        assertArrayEquals(IntStream.range(0, ranks.length).toArray(), Arrays.stream(indices).sorted().toArray(),
            "every index once");
        assertArrayEquals(expected, Arrays.stream(indices).mapToLong(i -> clamped(ranks[i], lowest)).toArray(),
            "lowest rank first");
        Statistics.label("unranked").coverage(coverage -> coverage.check(true).percentage(p -> p >= 20.0));
        Statistics.label("beyond the offsets").coverage(coverage -> coverage.check(true).percentage(p -> p >= 5.0));
    }

    @Test
    void leavesABatchOfOneAsItIs()
    {
        final long[] order = {12_345L};
        RankOrder.sort(order, 1);
        assertEquals(0, RankOrder.index(order[0]));
    }

    @Provide
    Arbitrary<List<Long>> batches()
    {
        final long drainNs = 1_000_000_000_000L;
        final Arbitrary<Long> near = Arbitraries.longs().between(drainNs, drainNs + 5_000);
        final Arbitrary<Long> nearBelowZero = Arbitraries.longs().between(-drainNs, -drainNs + 5_000);
        final Arbitrary<Long> far = Arbitraries.longs().between(drainNs + 2 * MAX_OFFSET, Long.MAX_VALUE - 1);
        final Arbitrary<Long> rank = Arbitraries.frequencyOf(
            Tuple.of(30, near), Tuple.of(10, nearBelowZero), Tuple.of(3, Arbitraries.just(ClientLink.UNRANKED)),
            Tuple.of(1, far));
        return rank.list().ofMinSize(0).ofMaxSize(300);
    }

    /**
     * The rank as the order compares it: its offset above the lowest, at most what an offset holds (computed apart
     * from the order's own arithmetic, in doubles, which cannot overflow).
     */
    private static long clamped(final long rank, final long lowest)
    {
        final double offset = (double)rank - (double)lowest;
        return offset >= MAX_OFFSET ? MAX_OFFSET : rank - lowest;
    }
}
