package io.tickwire.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.codec.Sequence;
import io.tickwire.games.arena.ArenaProvider;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client with no usable baseline needs full snapshots: one that stopped acknowledging and fell out of the history
 * window, or one that has not acknowledged anything yet (a joiner). It gets one, and no other until it acknowledges
 * it or a few ticks pass: a full snapshot every tick, many times a delta, would only add to what a slow client cannot
 * keep up with. Once it acknowledges a full snapshot it is back on deltas every tick, and a joiner whose ack comes
 * within a tick misses nothing.
 */
class LaggingClientTest
{
    private static final int WINDOW_TICKS = 12;
    /** The overload's longest period at this window: WINDOW_TICKS / 4. */
    private static final int RETRY_TICKS = 3;
    private static final char NONE = '.';
    private static final char FULL = 'F';
    private static final char DELTA = 'd';

    private final ShardDriver driver = new ShardDriver(
        new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 1024, 4, 4, 16, WINDOW_TICKS, 100, 10, 40, true, 256, 3L), 4,
        List.of(new ArenaProvider().create(new GameSettings(ShardDriver.TICK_RATE_HZ, 3L, Map.of(
            "worldSize", "300", "npcs", "60", "npcSpeed", "60", "playerSpeed", "120")))));

    @Test
    void aClientOutOfTheWindowGetsAFullSnapshotEveryFewTicksUntilItAcknowledgesOneThenDeltas()
    {
        final TestClient client = driver.join(1, ArenaProvider.NAME, "room");
        client.autoAck = false;
        driver.doWork();
        assertEquals("dddddddddd", run(client, 10, true), "acknowledging every tick: deltas");

        final String lagging = run(client, 40, false);
        final int outOfWindow = lagging.indexOf(FULL);
        assertTrue(outOfWindow >= WINDOW_TICKS - 2 && outOfWindow <= WINDOW_TICKS,
            "deltas while the acknowledged snapshot is in the window: " + lagging);
        final String expected = (FULL + String.valueOf(NONE).repeat(RETRY_TICKS - 1))
            .repeat(40).substring(0, lagging.length() - outOfWindow);
        assertEquals(expected, lagging.substring(outOfWindow), "then one full every " + RETRY_TICKS + " ticks");
        final long skipped = lagging.chars().filter(c -> c == NONE).count();
        assertEquals(skipped, driver.counters.snapshotsSkippedForLag.get());

        assertEquals(String.valueOf(DELTA).repeat(10), run(client, 10, true), "acknowledged a full: deltas again");
        assertEquals(0, client.read().decoder.checksumMismatches());
        assertEquals(skipped, driver.counters.snapshotsSkippedForLag.get());
        assertEquals(List.of(), driver.errors);
    }

    @Test
    void aClientThatHasNeverAcknowledgedGetsAFullSnapshotEveryFewTicksUntilItAcknowledgesOneThenDeltas()
    {
        final TestClient client = driver.join(1, ArenaProvider.NAME, "room");
        client.autoAck = false;
        client.ack = Sequence.NONE;
        driver.doWork();
        assertEquals(0, client.read().lastSnapshot()[4], "the joiner's first snapshot is full");

        final String waiting = run(client, 10, false);
        final String expected = (String.valueOf(NONE).repeat(RETRY_TICKS - 1) + FULL).repeat(10).substring(0, 10);
        assertEquals(expected, waiting, "then one full every " + RETRY_TICKS + " ticks");
        assertEquals(waiting.chars().filter(c -> c == NONE).count(), driver.counters.snapshotsSkippedForLag.get());

        assertEquals(String.valueOf(DELTA).repeat(10), run(client, 10, true), "acknowledged a full: deltas");
        assertEquals(0, client.read().decoder.checksumMismatches());
        assertEquals(List.of(), driver.errors);
    }

    @Test
    void aJoinerThatAcknowledgesWithinATickMissesNoSnapshot()
    {
        final TestClient client = driver.join(1, ArenaProvider.NAME, "room");
        client.autoAck = false;
        driver.doWork();
        assertEquals(String.valueOf(DELTA).repeat(10), run(client, 10, true));
        assertEquals(0, driver.counters.snapshotsSkippedForLag.get());
    }

    /**
     * Runs ticks; before each the client sends an input carrying its ack: the newest snapshot it applied when
     * {@code acknowledging}, else the ack it last sent.
     *
     * @return per tick, what the client received: {@value #FULL} a full snapshot, {@value #DELTA} a delta,
     * {@value #NONE} nothing.
     */
    private String run(final TestClient client, final int ticks, final boolean acknowledging)
    {
        final StringBuilder received = new StringBuilder();
        for (int t = 0; t < ticks; t++)
        {
            client.read();
            if (acknowledging)
            {
                client.ack = client.decoder.ackSeq();
            }
            client.input(0, 100, 50, 0);
            final int before = client.snapshots.size();
            driver.tick(1);
            client.read();
            final List<int[]> snapshots = new ArrayList<>(client.snapshots);
            received.append(snapshots.size() == before ? NONE :
                snapshots.get(snapshots.size() - 1)[4] == Sequence.NONE ? FULL : DELTA);
        }
        return received.toString();
    }
}
