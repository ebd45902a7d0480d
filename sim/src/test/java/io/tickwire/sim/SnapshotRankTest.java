package io.tickwire.sim;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each snapshot is ranked by the arrival of the oldest input it is the first to show, so the event loop writes first
 * the client whose input waited longest: inputs taken from the ring in the order C, A, B rank those clients' next
 * snapshots in that order, whatever their seats; a client that sent nothing goes last; a snapshot skipped for a
 * client that could not take it leaves its input's rank to the next one.
 */
class SnapshotRankTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;

    @BeforeEach
    void setUp()
    {
        driver = ShardDriver.pinnedRoom(games, "duel", 4, "lobby");
    }

    @Test
    void snapshotsAreRankedByTheArrivalOfTheOldestInputTheyShow()
    {
        final TestClient a = driver.join(1, "duel", "lobby");
        final TestClient b = driver.join(2, "duel", "lobby");
        final TestClient c = driver.join(3, "duel", "lobby");
        final TestClient idle = driver.join(4, "duel", "lobby");
        driver.tick(2);
        clearRanks(a, b, c, idle);

        c.input(0, 1, 0);
        a.input(0, 1, 0);
        b.input(0, 1, 0);
        a.input(0, 0, 1);
        driver.tick(1);

        final long rankA = lastRank(a);
        final long rankB = lastRank(b);
        final long rankC = lastRank(c);
        assertTrue(rankC < rankA && rankA < rankB, "C, A, B: " + rankC + ", " + rankA + ", " + rankB);
        assertEquals(List.of(rankC + 1, rankC + 2), List.of(rankA, rankB), "A by its first input of the two");
        assertEquals(ClientLink.UNRANKED, lastRank(idle), "no input, written last");

        driver.tick(1);
        assertEquals(ClientLink.UNRANKED, lastRank(a), "both of A's inputs were shown already");
        assertEquals(ClientLink.UNRANKED, lastRank(c), "nothing new to show");
    }

    @Test
    void aSkippedSnapshotLeavesItsInputsRankToTheNextOne()
    {
        final TestClient a = driver.join(1, "duel", "lobby");
        final TestClient b = driver.join(2, "duel", "lobby");
        driver.tick(2);
        clearRanks(a, b);

        a.input(0, 1, 0);
        b.input(0, 1, 0);
        a.link.writable = false;
        driver.tick(1);
        assertEquals(List.of(), a.link.snapshotRanks, "skipped: A's link cannot take it");
        final long rankB = lastRank(b);

        a.link.writable = true;
        b.input(0, 0, 1);
        driver.tick(1);
        assertTrue(lastRank(a) < rankB, "A's input arrived before B's first: " + lastRank(a) + ", " + rankB);
        assertTrue(lastRank(b) > rankB);
    }

    private static void clearRanks(final TestClient... clients)
    {
        for (final TestClient client : clients)
        {
            client.link.snapshotRanks.clear();
        }
    }

    private static long lastRank(final TestClient client)
    {
        final List<Long> ranks = client.link.snapshotRanks;
        return ranks.get(ranks.size() - 1);
    }
}
