package io.tickwire.sim;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's history shares the keys of a view unchanged since the latest entry: every entry still in the window
 * reads back exactly the view stored under its sequence, whatever was shared and overwritten since, and the history
 * never holds more arrays than entries. Views repeat often (a few distinct views, runs of the same one), some under
 * a stamp, so the generator reaches shared runs that the window's end cuts through.
 */
class ClientHistorySharingPropertyTest
{
    private static final int VIEWS = 4;

    @Property(tries = 200)
    void everyEntryInTheWindowReadsBackItsOwnView(
        @ForAll final long seed, @ForAll @IntRange(min = 0, max = 4) final int depthLog2)
    {
        final Coverage coverage = run(seed, 1 << depthLog2, 2_000);
        if (depthLog2 > 0)
        {
            assertTrue(coverage.shared > 0, "some views shared the latest entry's keys");
        }
    }

    /**
     * Pins that the generator reaches what the rule guards: an entry overwritten while a newer entry still shares
     * its keys, and a changed view stored then.
     */
    @Example
    void sharedRunsAreCutByTheWindowAndFollowedByChangedViews()
    {
        final Coverage coverage = run(7, 8, 5_000);
        assertTrue(coverage.shared > 100);
        assertTrue(coverage.overwroteHeldThenChanged > 10, "changed views stored over a still-shared entry");
    }

    private static Coverage run(final long seed, final int depth, final int stores)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[][] views = new long[VIEWS][];
        for (int v = 0; v < VIEWS; v++)
        {
            views[v] = new long[1 + random.nextInt(200)];
            for (int i = 0; i < views[v].length; i++)
            {
                views[v][i] = ((long)(i * VIEWS + v) << 32) | random.nextInt(1000);
            }
        }
        final ClientHistory history = new ClientHistory(depth, 128);
        final int[] viewOfSeq = new int[stores + 1];
        final int[] countOfSeq = new int[stores + 1];
        final Coverage coverage = new Coverage();
        int view = 0;
        for (int seq = 1; seq <= stores; seq++)
        {
            if (random.nextInt(3) == 0)
            {
                view = random.nextInt(VIEWS);
            }
            final int count = random.nextInt(8) == 0 ? random.nextInt(views[view].length + 1) : views[view].length;
            final long[] scratch = Arrays.copyOf(views[view], views[view].length + 3);
            final boolean overwritesHeld = seq > depth && isSharedByAnother(history, seq - depth, seq, depth);
            final int latest = history.find(seq - 1);
            final int index = random.nextBoolean() && count == views[view].length ?
                history.store(seq, seq, scratch, count, ClientHistory.hashOf(scratch, count), view + 1) :
                history.store(seq, seq, scratch, count);
            Arrays.fill(scratch, -1);
            viewOfSeq[seq] = view;
            countOfSeq[seq] = count;
            final boolean shared = latest >= 0 && latest != index && history.keys(index) == history.keys(latest);
            coverage.shared += shared ? 1 : 0;
            coverage.overwroteHeldThenChanged += overwritesHeld && !shared ? 1 : 0;

            final Set<long[]> held = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int kept = Math.max(1, seq - depth + 1); kept <= seq; kept++)
            {
                final int at = history.find(kept);
                assertEquals(countOfSeq[kept], history.count(at));
                assertArrayEquals(Arrays.copyOf(views[viewOfSeq[kept]], countOfSeq[kept]),
                    Arrays.copyOf(history.keys(at), countOfSeq[kept]), "seq " + kept + " after storing " + seq);
                held.add(history.keys(at));
            }
            assertTrue(held.size() <= depth);
        }
        return coverage;
    }

    /**
     * @return whether the entry of {@code oldest} shares its keys with another entry in the window before
     * {@code next} is stored over it.
     */
    private static boolean isSharedByAnother(
        final ClientHistory history, final int oldest, final int next, final int depth)
    {
        final long[] keys = history.keys(history.find(oldest));
        for (int seq = Math.max(1, next - depth + 1); seq < next; seq++)
        {
            if (history.keys(history.find(seq)) == keys)
            {
                return true;
            }
        }
        return false;
    }

    private static final class Coverage
    {
        int shared;
        int overwroteHeldThenChanged;
    }
}
