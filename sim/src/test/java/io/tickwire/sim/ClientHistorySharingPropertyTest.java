package io.tickwire.sim;

import io.tickwire.codec.Sequence;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's history shares the keys of a view unchanged since the latest entry and frees the entries older than the
 * acknowledged one unless it shares: every entry still in the window, from the acknowledged one on (from the
 * window's start once it shared), reads back exactly the view stored under its sequence, whatever was shared, freed
 * and overwritten since; the entries before it are not found; and the history never holds more arrays than
 * entries. Views repeat often (a few distinct views, runs of the same one), some under
 * a stamp, so the generator reaches shared runs that the window's end cuts through.
 */
class ClientHistorySharingPropertyTest
{
    private static final int VIEWS = 4;

    @Property(tries = 200)
    void everyEntryInTheWindowReadsBackItsOwnView(
        @ForAll final long seed, @ForAll @IntRange(min = 0, max = 4) final int depthLog2, @ForAll final boolean stamped)
    {
        final Coverage coverage = run(seed, 1 << depthLog2, 2_000, stamped);
        if (depthLog2 > 0 && stamped)
        {
            assertTrue(coverage.shared > 0, "some views shared the latest entry's keys");
        }
        if (!stamped && depthLog2 >= 2)
        {
            assertTrue(coverage.released > 0, "entries older than the ack were freed");
        }
    }

    /**
     * Pins that the generator reaches what the rule guards: an entry overwritten while a newer entry still shares
     * its keys, and a changed view stored then.
     */
    @Example
    void sharedRunsAreCutByTheWindowAndFollowedByChangedViews()
    {
        final Coverage coverage = run(7, 8, 5_000, true);
        assertTrue(coverage.shared > 100);
        assertTrue(coverage.overwroteHeldThenChanged > 10, "changed views stored over a still-shared entry");
    }

    private static Coverage run(final long seed, final int depth, final int stores, final boolean stamped)
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
        int ackedSeq = Sequence.NONE;
        int freedBefore = Sequence.NONE;
        long previousStamp = ClientHistory.NO_STAMP;
        for (int seq = 1; seq <= stores; seq++)
        {
            if (random.nextInt(3) == 0)
            {
                view = random.nextInt(VIEWS);
            }
            if (seq > 1 && random.nextBoolean())
            {
                ackedSeq = Math.max(ackedSeq, seq - 1 - random.nextInt(Math.min(seq - 1, 2 * depth)));
                history.releaseBefore(ackedSeq);
                freedBefore = coverage.shared == 0 ? ackedSeq : freedBefore;
            }
            final int count = random.nextInt(8) == 0 ? random.nextInt(views[view].length + 1) : views[view].length;
            final long[] scratch = Arrays.copyOf(views[view], views[view].length + 3);
            final boolean overwritesHeld = seq > depth && history.find(seq - depth) >= 0 &&
                isSharedByAnother(history, seq - depth, seq, depth);
            final int latest = history.find(seq - 1);
            final long stamp = stamped && random.nextBoolean() && count == views[view].length ? view + 1 :
                ClientHistory.NO_STAMP;
            final int index = stamp != ClientHistory.NO_STAMP ?
                history.store(seq, seq, scratch, count, ClientHistory.hashOf(scratch, count), stamp) :
                history.store(seq, seq, scratch, count);
            Arrays.fill(scratch, -1);
            viewOfSeq[seq] = view;
            countOfSeq[seq] = count;
            final boolean shared = stamp != ClientHistory.NO_STAMP && stamp == previousStamp && latest >= 0 &&
                latest != index;
            assertEquals(shared, latest >= 0 && latest != index && count > 0 &&
                history.keys(index) == history.keys(latest), "seq " + seq + " shares the latest entry's keys");
            previousStamp = stamp;
            coverage.shared += shared ? 1 : 0;
            coverage.overwroteHeldThenChanged += overwritesHeld && !shared ? 1 : 0;

            final Set<long[]> held = Collections.newSetFromMap(new IdentityHashMap<>());
            final int oldestKept = Math.max(1, freedBefore);
            for (int released = Math.max(1, seq - depth + 1); released < oldestKept; released++)
            {
                assertEquals(-1, history.find(released), "seq " + released + " is older than the ack " + ackedSeq);
                coverage.released++;
            }
            for (int kept = Math.max(oldestKept, seq - depth + 1); kept <= seq; kept++)
            {
                final int at = history.find(kept);
                assertEquals(countOfSeq[kept], history.count(at));
                assertArrayEquals(Arrays.copyOf(views[viewOfSeq[kept]], countOfSeq[kept]),
                    Arrays.copyOf(history.keys(at), countOfSeq[kept]), "seq " + kept + " after storing " + seq);
                held.add(history.keys(at));
            }
            for (final long[] spare : history.spares())
            {
                assertFalse(held.contains(spare), "a spare array is still held, after storing " + seq);
            }
            assertTrue(held.size() + history.spares().size() <= depth, "more arrays than entries");
        }
        return coverage;
    }

    /**
     * A client that acknowledges each snapshot {@code lag} snapshots after it was sent keeps cycling through the
     * arrays its acknowledgements freed: no more than {@code lag + 2} in all, not one per entry of the history.
     */
    @Example
    void promptAcknowledgementsCycleThroughFewArrays()
    {
        final int depth = 32;
        final int lag = 3;
        final ClientHistory history = new ClientHistory(depth, 128);
        final long[] view = new long[40];
        final Set<long[]> used = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int seq = 1; seq <= 1_000; seq++)
        {
            view[0] = seq;
            history.releaseBefore(Math.max(Sequence.NONE, seq - 1 - lag));
            final int index = history.store(seq, seq, view, view.length);
            assertEquals(seq, history.keys(index)[0]);
            used.add(history.keys(index));
        }
        assertTrue(used.size() <= lag + 2, used.size() + " arrays used");
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
            final int at = history.find(seq);
            if (at >= 0 && history.keys(at) == keys)
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
        int released;
    }
}
