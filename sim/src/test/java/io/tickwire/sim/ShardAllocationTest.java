package io.tickwire.sim;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Input;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Message;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.api.StateWriter;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.checkpoint.CheckpointSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tick path allocates nothing once warm: inputs and client messages through the ring, steps, captures, deltas
 * with interest management, room messages and presence updates to every client, stream and snapshot acks. Measured
 * with the shard thread's allocation counter (this thread: the shard is driven by hand), between the once-a-second
 * room publications, which allocate by design. Resume is on, so every stream message is also kept until acknowledged;
 * checkpoints are on, every {@value #CHECKPOINT_INTERVAL_TICKS} ticks.
 */
class ShardAllocationTest
{
    private static final MessageType PING = MessageType.fromClients(1, "ping", 1000, 1000, FieldDef.uint("n", 1000));
    private static final MessageType TICK = MessageType.toClients(2, "tick", FieldDef.uint("tick", Integer.MAX_VALUE),
        FieldDef.text("text", 16));
    private static final int CLIENTS = 16;
    private static final long RESUME_GRACE_NS = 10_000_000_000L;
    private static final int NPCS = 150;
    private static final int CHECKPOINT_INTERVAL_TICKS = 5;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final GameType type = GameType.builder("quiet")
        .entitySchema(RecordingGame.SCHEMA)
        .inputSchema(RecordingGame.INPUTS)
        .message(PING)
        .message(TICK)
        .maxClients(CLIENTS)
        .maxEntities(NPCS + CLIENTS)
        .factory(QuietGame::new)
        .checkpointVersion(1)
        .build();
    private long checkpointsTaken;
    private final CheckpointSink releasingSink = frame ->
    {
        checkpointsTaken++;
        frame.release();
        return true;
    };
    private final ShardDriver driver = new ShardDriver(
        new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 1024, 4, 2, 4, 8, viewRadius(), 20, 64, true, 256, 42L)
            .withResumeGraceNs(RESUME_GRACE_NS)
            .withCheckpoints(CHECKPOINT_INTERVAL_TICKS, 30, releasingSink), 10,
        List.of(type), "quiet:room");
    private final QuietLink[] links = new QuietLink[CLIENTS];
    private final InputCodec inputCodec = new InputCodec(type.inputSchema());
    private final MessageCodec messageCodec = new MessageCodec(type);
    private final MessageEncoder messageEncoder = new MessageEncoder();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();
    private final InputValues inputValues = new InputValues();
    private final int[] values = new int[2];

    /**
     * @return the view radius of the room: interest management on, so views differ and few bodies are shared.
     */
    double viewRadius()
    {
        return 400;
    }

    @BeforeEach
    void setUp()
    {
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        primeMessagePayloads();
        for (int i = 1; i <= CLIENTS; i++)
        {
            final QuietLink link = new QuietLink(i);
            links[i - 1] = link;
            assertTrue(driver.ring.tryPublishJoin(link, new JoinTicket(type, JoinRequest.MODE_NAMED, "room", "p" + i,
                JoinOptionValues.of(type, Map.of()), null)));
        }
        driver.doWork();
        assertEquals(CLIENTS, driver.room("room").playerCount());
    }

    @Test
    void theTickPathAllocatesNothingOnceWarm()
    {
        for (int i = 0; i < 2_000; i++)
        {
            clientsSendAndTick(i);
        }

        final long[] allocatedByWindow = new long[3];
        for (int window = 0; window < allocatedByWindow.length; window++)
        {
            final List<RoomInfo> published = driver.shard.publishedRooms();
            int i = 0;
            while (driver.shard.publishedRooms() == published)
            {
                clientsSendAndTick(i++);
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int t = 0; t < 25; t++)
            {
                clientsSendAndTick(t);
            }
            allocatedByWindow[window] = threads.getCurrentThreadAllocatedBytes() - before;
        }

        assertEquals(0, Arrays.stream(allocatedByWindow).min().orElseThrow(),
            "an allocation per tick shows in every window of 25 ticks (a one-off, such as the JIT recompiling " +
            "under a loaded machine, in one at most): " + Arrays.toString(allocatedByWindow));
        assertEquals(List.of(), driver.errors);
        assertEquals(CLIENTS, driver.room("room").playerCount(), "no one was closed for a backlog");
        assertTrue(driver.counters.deltaSnapshots.get() > driver.counters.fullSnapshots.get());
        assertTrue(links[0].streamSeq > 4_000, "a room message and a presence update each tick");
        checkSteadyState(driver.counters);
    }

    /**
     * Checks that the ticks measured took the path the test means to measure.
     */
    void checkSteadyState(final ShardCounters counters)
    {
    }

    /**
     * Every window of 25 ticks takes 5 checkpoints: platform state by reference, the game's save into the frame's
     * buffer (a string too), the CRC of the capture, the offer; the consumer releases each frame at once.
     */
    @Test
    void checkpointTicksAllocateNothing()
    {
        for (int i = 0; i < 2_000; i++)
        {
            clientsSendAndTick(i);
        }
        final long[] allocatedByWindow = new long[3];
        final long[] checkpointsByWindow = new long[3];
        for (int window = 0; window < allocatedByWindow.length; window++)
        {
            final List<RoomInfo> published = driver.shard.publishedRooms();
            int i = 0;
            while (driver.shard.publishedRooms() == published)
            {
                clientsSendAndTick(i++);
            }
            final long checkpointsBefore = checkpointsTaken;
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int t = 0; t < 25; t++)
            {
                clientsSendAndTick(t);
            }
            allocatedByWindow[window] = threads.getCurrentThreadAllocatedBytes() - before;
            checkpointsByWindow[window] = checkpointsTaken - checkpointsBefore;
        }

        assertEquals(0, Arrays.stream(allocatedByWindow).min().orElseThrow(),
            "bytes allocated in windows of 25 ticks with checkpoints: " + Arrays.toString(allocatedByWindow));
        assertTrue(Arrays.stream(checkpointsByWindow).allMatch(n -> n == 25 / CHECKPOINT_INTERVAL_TICKS),
            "checkpoints per window: " + Arrays.toString(checkpointsByWindow));
        assertEquals(0, driver.counters.checkpointsSkipped.get() + driver.counters.checkpointsFailed.get());
        assertEquals(List.of(), driver.errors);
    }

    @Test
    void roomMessagesAndPresenceAreCopiedIntoTheLinksWithoutAllocatingPerRecipient()
    {
        final Room room = driver.room("room");
        final Player player = room.player(0);
        for (int i = 0; i < 5_000; i++)
        {
            broadcast(room, player, i);
        }
        final long framesBefore = links[CLIENTS - 1].frames;
        final long[] allocatedByWindow = new long[3];
        for (int window = 0; window < allocatedByWindow.length; window++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++)
            {
                broadcast(room, player, i);
            }
            allocatedByWindow[window] = threads.getCurrentThreadAllocatedBytes() - before;
        }
        assertEquals(0, Arrays.stream(allocatedByWindow).min().orElseThrow(),
            "bytes allocated per 200 stream messages to " + CLIENTS + " clients each, in every window: " +
            Arrays.toString(allocatedByWindow));
        assertEquals(framesBefore + 600, links[CLIENTS - 1].frames);
    }

    /**
     * A ring entry allocates its payload buffer the first time it carries a client message (bounded by the ring's
     * capacity, by design): let every entry carry one before measuring.
     */
    private void primeMessagePayloads()
    {
        final QuietLink stranger = new QuietLink(999);
        for (int i = 0; i < driver.ring.capacity(); i++)
        {
            final int length = messageEncoder.begin(PING).encodeClientMessage(frame, 0, 0, i + 1);
            message.wrap(frame, 0, length);
            messageCodec.validateClient(frame, 0, length);
            assertTrue(driver.ring.tryPublishMessage(stranger, message, messageCodec));
        }
        driver.doWork();
        assertEquals(driver.ring.capacity(), driver.counters.eventsWithoutClient.get());
    }

    private void broadcast(final Room room, final Player player, final int i)
    {
        room.message(TICK).putInt(0, i).putText(1, "hello").broadcast();
        player.setMetadata("state", (i & 1) == 0 ? "even" : "odd");
        for (int c = 0; c < CLIENTS; c++)
        {
            publishAck(links[c]);
        }
        driver.doWork();
    }

    private void clientsSendAndTick(final int i)
    {
        for (int c = 0; c < CLIENTS; c++)
        {
            final QuietLink link = links[c];
            values[0] = (i % 21) - 10;
            values[1] = i & 1;
            final int length = inputCodec.encode(frame, 0, link.snapshotSeq, ++link.inputSeq, 0, values);
            message.wrap(frame, 0, length);
            inputValues.count = 2;
            inputCodec.decode(frame, 0, length, inputValues.values);
            driver.ring.tryPublishInput(link, message, inputValues);
            if ((i & 3) == (int)(link.sessionId & 3))
            {
                final int messageLength = messageEncoder.begin(PING).putInt(0, i % 1000)
                    .encodeClientMessage(frame, 0, link.snapshotSeq, ++link.messageSeq);
                message.wrap(frame, 0, messageLength);
                messageCodec.validateClient(frame, 0, messageLength);
                driver.ring.tryPublishMessage(link, message, messageCodec);
            }
            publishAck(link);
        }
        driver.nowNs += ShardDriver.PERIOD_NS;
        driver.doWork();
    }

    private void publishAck(final QuietLink link)
    {
        message.wrap(frame, 0, ClientMessageFlyweight.ACK_LENGTH).type(WireFormat.TYPE_ACK).ack(link.snapshotSeq)
            .messageAck(link.streamSeq);
        driver.ring.tryPublishControl(link, message);
    }

    /**
     * A link that keeps only what a client needs to acknowledge: the newest snapshot and stream sequences.
     */
    private static final class QuietLink implements ClientLink
    {
        final long sessionId;
        int snapshotSeq;
        int streamSeq;
        int inputSeq;
        int messageSeq;
        long frames;

        QuietLink(final long sessionId)
        {
            this.sessionId = sessionId;
        }

        public long sessionId()
        {
            return sessionId;
        }

        public boolean isOpen()
        {
            return true;
        }

        public boolean isWritable()
        {
            return true;
        }

        public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
            snapshotSeq = buffer.getInt(offset + SnapshotHeaderFlyweight.SNAPSHOT_SEQ_OFFSET, WireFormat.BYTE_ORDER);
            return true;
        }

        public boolean offerSnapshot(
            final DirectBuffer header, final int headerOffset, final int headerLength, final SharedSnapshotBody body)
        {
            return offerSnapshot(header, headerOffset, headerLength);
        }

        public void sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
            final byte frameType = buffer.getByte(offset);
            if (frameType == WireFormat.TYPE_ROOM_MESSAGE || frameType == WireFormat.TYPE_PRESENCE)
            {
                streamSeq = buffer.getInt(offset + WireFormat.STREAM_SEQ_OFFSET, WireFormat.BYTE_ORDER);
            }
        }

        public void close(final int statusCode, final String reason)
        {
            throw new AssertionError("closed " + statusCode + " " + reason);
        }
    }

    /**
     * A game that allocates nothing per tick: NPCs walking a square, avatars moved by inputs, a room message and a
     * presence update each tick.
     */
    private static final class QuietGame implements Game
    {
        private final RoomContext room;
        private final int[] avatarX = new int[CLIENTS + 1];
        private final int[] avatarY = new int[CLIENTS + 1];
        private long pings;

        QuietGame(final RoomContext room)
        {
            this.room = room;
        }

        public void onJoin(final Player player)
        {
            player.setEntityId(NPCS + player.id());
            avatarX[player.id()] = 100 * player.id();
            avatarY[player.id()] = 100 * player.id();
        }

        public void onLeave(final Player player, final LeaveReason reason)
        {
            throw new AssertionError("no one leaves: " + player + " " + reason);
        }

        public void onInput(final Player player, final Input input)
        {
            avatarX[player.id()] = Math.max(0, Math.min(10_000, avatarX[player.id()] + input.get(0)));
            avatarY[player.id()] = Math.max(0, Math.min(10_000, avatarY[player.id()] + input.get(1)));
        }

        public void onMessage(final Player player, final Message message)
        {
            pings += message.getInt(0);
        }

        public void step(final long tick)
        {
            room.message(TICK).putInt(0, (int)tick).putText(1, "tick").broadcast();
            if (room.playerCount() > 0)
            {
                final int count = room.playerCount();
                room.player((int)(tick % count)).setMetadata("pings", ((tick / count) & 1) == 0 ? "even" : "odd");
            }
        }

        public void save(final StateWriter out)
        {
            out.writeString("quiet ünïcode");
            out.writeLong(pings);
            out.writeInts(avatarX, 0, avatarX.length);
            out.writeInts(avatarY, 0, avatarY.length);
        }

        public void capture(final EntityWriter entities)
        {
            final long tick = room.tick();
            for (int id = 0; id < NPCS; id++)
            {
                final int row = entities.add(id);
                entities.set(row, 0, (int)((id * 61 + tick * (id % 5)) % 10_000));
                entities.set(row, 1, (int)((id * 67 + tick) % 10_000));
                entities.set(row, 2, (int)(id + pings) & 0xFF);
            }
            for (int i = 0; i < room.playerCount(); i++)
            {
                final Player player = room.player(i);
                final int row = entities.add(NPCS + player.id());
                entities.set(row, 0, avatarX[player.id()]);
                entities.set(row, 1, avatarY[player.id()]);
                entities.set(row, 2, 100);
            }
        }
    }
}
