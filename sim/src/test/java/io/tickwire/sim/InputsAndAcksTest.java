package io.tickwire.sim;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inputs reach the game with their values and view ticks, in sequence order, exactly once and at most the limit per
 * tick; the snapshot ack of every client message is recorded (it becomes the baseline of the next delta) unless it
 * is from the future or the past. Each snapshot is ranked by the arrival of the oldest input it is the first to
 * show, so the event loop writes first the client whose input waited longest: inputs taken from the ring in the
 * order C, A, B rank those clients' next snapshots in that order, whatever their seats; a client that sent nothing
 * goes last; a snapshot skipped for a client that could not take it leaves its input's rank to the next one.
 */
class InputsAndAcksTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;
    private RecordingGame lobby;

    @BeforeEach
    void setUp()
    {
        driver = ShardDriver.pinnedRoom(games, "duel", 4, "lobby");
        lobby = games.get("lobby");
    }

    @Test
    void inputsTheIoSideGathersWhenATickIsDueReachThatTickAndNoGatherRunsWithoutATick()
    {
        final List<String> seen = new ArrayList<>();
        lobby.onInput = (player, input) -> seen.add(lobby.room.tick() + ": " + input.seq());
        final TestClient client = driver.join(1, "duel", "lobby");
        driver.tick(1);
        final List<Long> gatheredAtTicks = new ArrayList<>();
        driver.beforeTick = () ->
        {
            gatheredAtTicks.add(driver.shard.fixedStep().tickCount());
            client.input(0, 1, 0);
        };

        driver.doWork();
        assertEquals(List.of(), gatheredAtTicks, "no tick due, nothing gathered");

        driver.tick(1);
        final long tick = lobby.room.tick();
        assertEquals(List.of(tick - 1), gatheredAtTicks, "gathered once, before the tick ran");
        assertEquals(List.of(tick + ": 1"), seen, "the input gathered before the tick is applied in it");
    }

    @Test
    void inputsReachTheGameWithTheirValuesAndViewTicksInOrderExactlyOnceAndAtMostTheLimitPerTick()
    {
        final List<String> seen = new ArrayList<>();
        lobby.onInput = (player, input) -> seen.add(lobby.room.tick() + ": " + input.seq() + " " +
            input.get(0) + "," + input.get(1) + " view " + input.viewTick() + " player " + player.lastInputSeq() +
            "@" + player.viewTick());
        final TestClient client = driver.join(1, "duel", "lobby");
        driver.doWork();

        client.input(1, -10, 1);
        client.input(2, 10, 0);
        driver.publishInput(client.link, client.type, 0, 2, 3, 5, 1);
        client.input(3, 0, 1);
        driver.doWork();
        driver.tick(1);
        client.input(0xFFFF_FFF0, -1, 0);
        driver.publishInput(client.link, client.type, 0, 1, 3, 5, 1);
        driver.tick(1);
        client.input(0, 1, 1);
        driver.tick(2);

        assertEquals(List.of(
            "2: 1 -10,1 view 1 player 1@1",
            "2: 2 10,0 view 2 player 2@2",
            "3: 3 0,1 view 3 player 3@3",
            "3: 4 -1,0 view 4294967280 player 4@4294967280"), seen.subList(0, 4));
        assertEquals(List.of("4: 5 1,1 view 0 player 5@0"), seen.subList(4, seen.size()));
        assertEquals(2, driver.counters.inputsStale.get());
        assertEquals(5, driver.counters.inputsApplied.get());
        assertEquals(List.of(2, 4, 5), List.of(client.snapshots.get(1)[2], client.snapshots.get(2)[2],
            client.lastSnapshot()[2]), "each snapshot names the last input applied");
    }

    @Test
    void theAckOfEveryClientMessageIsRecordedAndBecomesTheBaseline()
    {
        final TestClient client = driver.join(1, "duel", "lobby");
        client.autoAck = false;
        driver.tick(5);
        assertEquals(0, client.lastSnapshot()[4], "nothing acked yet: full snapshots");

        client.ack = 2;
        client.ping();
        driver.tick(1);
        assertEquals(2, client.lastSnapshot()[4], "a PING's ack");

        client.ack = 3;
        client.acknowledge();
        driver.tick(1);
        assertEquals(3, client.lastSnapshot()[4], "an ACK's");

        client.ack = 4;
        client.say("hi");
        driver.tick(1);
        assertEquals(4, client.lastSnapshot()[4], "a MESSAGE's");

        client.ack = 5;
        client.input(0, 0, 0);
        driver.tick(1);
        assertEquals(5, client.lastSnapshot()[4], "an INPUT's");
        assertEquals(0, driver.counters.acksIgnored.get());
    }

    @Test
    void acksFromTheFutureOrThePastAreIgnoredAndCounted()
    {
        final TestClient client = driver.join(1, "duel", "lobby");
        driver.tickAcknowledging(5, client);
        client.autoAck = false;
        client.ack = 4;
        client.ping();
        driver.tick(1);
        final int sent = client.lastSnapshotSeq();

        client.ack = sent + 1;
        client.ping();
        client.ack = 3;
        client.acknowledge();
        client.ack = sent + 100;
        client.say("x");
        client.ack = 1;
        client.input(0, 0, 0);
        driver.tick(1);
        assertEquals(4, client.lastSnapshot()[4], "the recorded ack did not move");
        assertEquals(4, driver.counters.acksIgnored.get());

        client.ack = sent;
        client.ping();
        driver.tick(1);
        assertEquals(sent, client.lastSnapshot()[4]);
        assertEquals(4, driver.counters.acksIgnored.get());
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
