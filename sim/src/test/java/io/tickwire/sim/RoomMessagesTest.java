package io.tickwire.sim;

import io.tickwire.api.MessageWriter;
import io.tickwire.codec.CloseCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Game messages both ways: client messages reach the game in order, room messages reach exactly their recipients
 * in stream order and before the snapshot of their tick, messages sent while a player joins follow its welcome,
 * snapshots confirm client messages, and a client that stops acknowledging the stream is closed.
 */
class RoomMessagesTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;
    private RecordingGame lobby;

    @BeforeEach
    void setUp()
    {
        newDriver(64);
    }

    private void newDriver(final int maxUnackedMessages)
    {
        games.clear();
        driver = ShardDriver.pinnedRoom(ShardDriver.config(maxUnackedMessages), games, "duel", 4, "lobby");
        lobby = games.get("lobby");
    }

    @Test
    void clientMessagesReachTheGameInOrderAndItsEchoReachesEveryone()
    {
        final TestClient first = driver.join(1, "duel", "lobby");
        final TestClient second = driver.join(2, "duel", "lobby");
        driver.tick(1);
        first.say("a");
        second.say("x");
        first.say("b");
        first.say("c");
        driver.doWork();

        assertEquals(List.of("message p1 a", "message p2 x", "message p1 b", "message p1 c"),
            lobby.calls.stream().filter(call -> call.startsWith("message")).toList());
        final List<String> echoes = List.of("echo 1 a", "echo 2 x", "echo 1 b", "echo 1 c");
        assertEquals(echoes, first.read().messages);
        assertEquals(echoes, second.read().messages);
        assertEquals(4, driver.counters.clientMessages.get());
        assertEquals(4, driver.counters.roomMessagesSent.get());
    }

    @Test
    void sendBroadcastAndBroadcastExceptReachTheirRecipientsOnly()
    {
        final TestClient[] clients = new TestClient[3];
        for (int i = 0; i < 3; i++)
        {
            clients[i] = driver.join(i + 1, "duel", "lobby");
        }
        driver.tick(1);
        final int[] streamBefore = new int[3];
        for (int i = 0; i < 3; i++)
        {
            streamBefore[i] = clients[i].streamMessages();
        }
        lobby.onStep = () ->
        {
            lobby.room.message(RecordingGame.ECHO).putInt(0, 7).putText(1, "to-2").send(lobby.room.playerById(2));
            lobby.room.message(RecordingGame.ECHO).putInt(0, 7).putText(1, "not-1")
                .broadcastExcept(lobby.room.playerById(1));
            lobby.room.message(RecordingGame.ECHO).putInt(0, 7).putText(1, "all").broadcast();
            final MessageWriter twice = lobby.room.message(RecordingGame.ECHO).putText(1, "1-and-3");
            twice.send(lobby.room.playerById(1)).send(lobby.room.playerById(3));
            lobby.onStep = () ->
            {
            };
        };
        driver.tick(1);

        assertEquals(List.of("echo 7 all", "echo 0 1-and-3"), clients[0].read().messages);
        assertEquals(List.of("echo 7 to-2", "echo 7 not-1", "echo 7 all"), clients[1].read().messages);
        assertEquals(List.of("echo 7 not-1", "echo 7 all", "echo 0 1-and-3"), clients[2].read().messages);
        assertEquals(streamBefore[0] + 2, clients[0].lastStreamSeq);
        assertEquals(streamBefore[1] + 3, clients[1].lastStreamSeq);
        assertEquals(streamBefore[2] + 3, clients[2].lastStreamSeq);
    }

    @Test
    void aRoomOnlySendsItsOwnRoomToClientTypesAndOneMessageAtATime()
    {
        driver.join(1, "duel", "lobby");
        driver.join(2, "duel", "arena");
        driver.doWork();
        assertThrows(IllegalArgumentException.class, () -> lobby.room.message(RecordingGame.SAY));
        final MessageWriter first = lobby.room.message(RecordingGame.ECHO);
        games.get("arena").room.message(RecordingGame.ECHO);
        assertThrows(IllegalStateException.class, first::broadcast, "a writer replaced by another room's message");
    }

    @Test
    void aMessageSentDuringTheStepOfTickTIsWrittenBeforeTheSnapshotOfTickT()
    {
        final TestClient client = driver.join(1, "duel", "lobby");
        driver.doWork();
        lobby.onStep = () -> lobby.room.message(RecordingGame.ECHO).putText(1, "tick " + lobby.room.tick())
            .broadcast();
        driver.tickAcknowledging(3, client);
        assertEquals(List.of("welcome", "join 1", "snapshot 1",
            "message echo 0 tick 2", "snapshot 2",
            "message echo 0 tick 3", "snapshot 3",
            "message echo 0 tick 4", "snapshot 4"), client.read().log);
    }

    @Test
    void messagesTheGameSendsFromOnJoinReachTheJoinerAfterItsWelcomeAndPresenceList()
    {
        final TestClient first = driver.join(1, "duel", "lobby");
        driver.tick(1);
        lobby.onJoin = player ->
        {
            lobby.room.message(RecordingGame.ECHO).putText(1, "hello " + player.name()).send(player);
            lobby.room.message(RecordingGame.ECHO).putText(1, player.name() + " joined").broadcast();
        };
        final TestClient second = driver.join(2, "duel", "lobby");
        driver.tickAcknowledging(1, first);

        assertEquals(List.of("welcome", "join 1", "join 2", "message echo 0 hello p2", "message echo 0 p2 joined",
            "snapshot 3"), second.read().log);
        assertEquals(3, second.lastStreamSeq);
        assertEquals(List.of("join 2", "message echo 0 p2 joined", "snapshot 3"), first.read().log.subList(3, 6),
            "the JOIN carries what onJoin set, and goes out before a message that names the player");
    }

    @Test
    void snapshotsCarryTheClientMessageAckUntilASnapshotCarryingItIsAcked()
    {
        final TestClient client = driver.join(1, "duel", "lobby");
        driver.tick(2);
        client.autoAck = false;
        client.ack = client.lastSnapshotSeq();
        assertEquals(-1, client.lastSnapshot()[3], "nothing to confirm yet");

        client.say("one");
        driver.tick(1);
        final int firstCarrying = client.lastSnapshotSeq();
        assertEquals(1, client.lastSnapshot()[3]);
        driver.tick(2);
        assertEquals(1, client.lastSnapshot()[3], "carried while no snapshot carrying it is acked");

        client.ack = firstCarrying - 1;
        client.ping();
        driver.tick(1);
        assertEquals(1, client.lastSnapshot()[3], "an ack of an older snapshot confirms nothing");

        client.ack = firstCarrying;
        client.ping();
        driver.tick(1);
        assertEquals(-1, client.lastSnapshot()[3], "acked one carrying it, though later ones carried it too");

        client.say("two");
        driver.tick(1);
        assertEquals(2, client.lastSnapshot()[3]);
        client.ack = client.lastSnapshotSeq();
        client.ping();
        driver.tick(1);
        assertEquals(-1, client.lastSnapshot()[3]);
    }

    @Test
    void aClientThatNeverAcksTheStreamIsClosedAndTheOthersAreNot()
    {
        newDriver(8);
        final TestClient silent = driver.join(1, "duel", "lobby");
        final TestClient acking = driver.join(2, "duel", "lobby");
        driver.tick(1);
        lobby.onStep = () -> lobby.room.message(RecordingGame.ECHO).putText(1, "t" + lobby.room.tick()).broadcast();
        for (int i = 0; i < 12; i++)
        {
            acking.acknowledge();
            driver.tick(1);
        }

        assertEquals(CloseCodes.MESSAGE_BACKLOG, silent.link.closeCode);
        assertEquals(1, driver.counters.messageBacklogCloses.get());
        assertTrue(lobby.calls.contains("leave p1 DISCONNECTED"));
        assertEquals(1, driver.room("lobby").playerCount());
        assertEquals(9, silent.streamMessages(), "closed at the first message beyond 8 unacknowledged");
        assertTrue(acking.link.open);
        assertEquals(0, acking.link.closeCount);
        assertEquals(12, acking.read().messages.size());
        assertEquals(Map.of(2, "p2 e102 {}"), acking.presence);
    }

    @Test
    void streamAcksFromTheFutureOrThePastAreIgnoredAndCounted()
    {
        newDriver(4);
        final TestClient client = driver.join(1, "duel", "lobby");
        driver.tick(1);
        lobby.room.message(RecordingGame.ECHO).broadcast();
        lobby.room.message(RecordingGame.ECHO).broadcast();
        assertEquals(3, client.streamMessages());

        client.ackStream(4);
        client.ackStream(3);
        client.ackStream(2);
        client.ackStream(3);
        driver.doWork();
        assertEquals(2, driver.counters.streamAcksIgnored.get());

        lobby.room.message(RecordingGame.ECHO).broadcast();
        lobby.room.message(RecordingGame.ECHO).broadcast();
        lobby.room.message(RecordingGame.ECHO).broadcast();
        lobby.room.message(RecordingGame.ECHO).broadcast();
        assertEquals(0, client.link.closeCount, "4 unacknowledged after the ack of 3");
        lobby.room.message(RecordingGame.ECHO).broadcast();
        assertEquals(CloseCodes.MESSAGE_BACKLOG, client.link.closeCode);
        assertFalse(client.link.open);
    }
}
