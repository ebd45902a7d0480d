package io.tickwire.sim;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Input;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.api.StateReader;
import io.tickwire.api.StateWriter;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.journal.JournalWriterAgent;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Recording a journal costs the shard thread no allocation once warm: every tick's inputs, TICK and FANOUT records,
 * and every 10 ticks a rotation (the checkpoint parked for the writer, the views kept and written as VIEW records).
 * The writer drains its ring between the measured windows, on the same thread but outside them.
 */
class JournalAllocationTest
{
    private static final int CLIENTS = 8;
    private static final int NPCS = 40;
    private static final int ROTATE_TICKS = 10;

    @TempDir
    Path dir;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final GameType type = GameType.builder("still")
        .entitySchema(RecordingGame.SCHEMA)
        .inputSchema(RecordingGame.INPUTS)
        .maxClients(CLIENTS)
        .maxEntities(NPCS + CLIENTS)
        .checkpointVersion(1)
        .factory(StillGame::new)
        .build();
    private final InputCodec inputCodec = new InputCodec(type.inputSchema());
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();
    private final InputValues inputValues = new InputValues();
    private final int[] values = new int[2];
    private final Link[] links = new Link[CLIENTS];

    @Test
    void journaledTicksAllocateNothingOnceWarm() throws IOException
    {
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final ShardConfig base = new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 1024, 4, 2, 4, 8, 400, 20, 64, true,
            256, 42L);
        final JournalWriterAgent writer = new JournalWriterAgent(dir,
            Duration.ofNanos(ROTATE_TICKS * base.tickPeriodNs()), new GameCatalog(List.of(type)), name -> Map.of(),
            base, 1 << 22, error -> { });
        final ShardDriver driver = new ShardDriver(
            base.withJournals(writer).withCheckpoints(ROTATE_TICKS, 30, writer), 10, List.of(type), "still:room");
        for (int i = 0; i < CLIENTS; i++)
        {
            links[i] = new Link(i + 1);
            assertTrue(driver.ring.tryPublishJoin(links[i], new JoinTicket(type, JoinRequest.MODE_NAMED, "room",
                "p" + i, JoinOptionValues.of(type, Map.of()), null)));
        }
        for (int i = 0; i < 2_000; i++)
        {
            sendAndTick(driver, i);
            writer.doWork();
        }

        final long[] allocatedByWindow = new long[3];
        for (int window = 0; window < allocatedByWindow.length; window++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int t = 0; t < 25; t++)
            {
                sendAndTick(driver, t);
            }
            allocatedByWindow[window] = threads.getCurrentThreadAllocatedBytes() - before;
            writer.doWork();
        }
        driver.shard.onClose();
        writer.close();

        assertEquals(0, Arrays.stream(allocatedByWindow).min().orElseThrow(),
            "bytes allocated in windows of 25 journaled ticks: " + Arrays.toString(allocatedByWindow));
        assertEquals(0, writer.droppedRecords());
        assertTrue(writer.bytesWritten() > 100_000, "journals written: " + writer.bytesWritten());
        assertEquals(List.of(), driver.errors);
    }

    private void sendAndTick(final ShardDriver driver, final int i)
    {
        for (final Link link : links)
        {
            values[0] = (i % 21) - 10;
            values[1] = i & 1;
            final int length = inputCodec.encode(frame, 0, 0, ++link.inputSeq, 0, values);
            message.wrap(frame, 0, length);
            inputValues.count = 2;
            inputCodec.decode(frame, 0, length, inputValues.values);
            driver.ring.tryPublishInput(link, message, inputValues);
        }
        driver.nowNs += ShardDriver.PERIOD_NS;
        driver.doWork();
    }

    private static final class Link implements ClientLink
    {
        final long sessionId;
        int inputSeq;

        Link(final long sessionId)
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
            return true;
        }

        public boolean offerSnapshot(
            final DirectBuffer header, final int headerOffset, final int headerLength, final SharedSnapshotBody body)
        {
            return true;
        }

        public void sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void close(final int statusCode, final String reason)
        {
        }
    }

    /**
     * NPCs walking at random, avatars moved by inputs; arrays only.
     */
    private static final class StillGame implements Game
    {
        private final RoomContext room;
        private final int[] x = new int[NPCS + CLIENTS + 1];
        private final int[] y = new int[NPCS + CLIENTS + 1];

        StillGame(final RoomContext room)
        {
            this.room = room;
        }

        public JoinDecision onJoinRequest(final Player player, final JoinOptions options)
        {
            return JoinDecision.ACCEPT;
        }

        public void onJoin(final Player player)
        {
            player.setEntityId(NPCS + player.id());
            x[NPCS + player.id()] = 50 * player.id();
            y[NPCS + player.id()] = 50 * player.id();
        }

        public void onLeave(final Player player, final LeaveReason reason)
        {
        }

        public void onInput(final Player player, final Input input)
        {
            x[player.entityId()] = Math.max(0, Math.min(10_000, x[player.entityId()] + input.get(0)));
        }

        public void step(final long tick)
        {
            for (int id = 0; id < NPCS; id++)
            {
                x[id] = Math.max(0, Math.min(1_000, x[id] + room.random().nextInt(-5, 6)));
                y[id] = Math.max(0, Math.min(1_000, y[id] + room.random().nextInt(-5, 6)));
            }
        }

        public void capture(final EntityWriter entities)
        {
            for (int id = 0; id < NPCS + room.playerCount(); id++)
            {
                final int row = entities.add(id);
                entities.set(row, 0, x[id]);
                entities.set(row, 1, y[id]);
                entities.set(row, 2, 100);
            }
        }

        public void save(final StateWriter out)
        {
            out.writeInts(x, 0, x.length);
            out.writeInts(y, 0, y.length);
        }

        public void restore(final StateReader in, final int version)
        {
            in.readInts(x, 0, x.length);
            in.readInts(y, 0, y.length);
        }
    }
}
