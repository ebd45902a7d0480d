package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard driven by hand on the test thread: a fake clock, a ring the test publishes into exactly as the network
 * layer does (client frames built with the codec, validated, then published), and {@link TestClient}s on
 * {@link RecordingLink}s.
 */
final class ShardDriver
{
    static final int TICK_RATE_HZ = 30;
    static final long PERIOD_NS = 1_000_000_000L / TICK_RATE_HZ;

    final ShardConfig config;
    final GameCatalog catalog;
    final RoomQuota quota;
    final InputRing ring = new InputRing(256);
    final ShardCounters counters = new ShardCounters();
    final List<Throwable> errors = new ArrayList<>();
    final ShardAgent shard;
    long nowNs = 5_000;
    /**
     * How far the fake clock moves at each read: a shard reads it at the start and the end of a ticking cycle, so
     * this is how long each cycle seems to take (0: cycles take no time).
     */
    long cycleCostNs;
    /** What the I/O side does when the shard gathers its inputs before a tick ({@link TickInputGather}). */
    Runnable beforeTick = () -> { };
    /** What the I/O side does after the shard offered a tick's snapshots ({@link SnapshotFlush}). */
    Runnable afterSnapshots = () -> { };

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();
    private final InputValues inputValues = new InputValues();
    private final MessageEncoder messageEncoder = new MessageEncoder();
    private final ControlCodec controlCodec = new ControlCodec();
    private final Map<String, InputCodec> inputCodecs = new LinkedHashMap<>();
    private final Map<String, MessageCodec> messageCodecs = new LinkedHashMap<>();

    /**
     * @param pinned rooms opened at start, as {@code type:name}.
     */
    ShardDriver(final ShardConfig config, final int maxRooms, final List<GameType> types, final String... pinned)
    {
        this(config, maxRooms, types, null, pinned);
    }

    ShardDriver(
        final ShardConfig config, final int maxRooms, final List<GameType> types, final ErrorHandler errorHandler,
        final String... pinned)
    {
        this.config = config;
        this.catalog = new GameCatalog(types);
        this.quota = new RoomQuota(maxRooms, catalog);
        final List<PinnedRoom> pinnedRooms = new ArrayList<>();
        for (final String room : pinned)
        {
            final String[] parts = room.split(":");
            pinnedRooms.add(new PinnedRoom(catalog.get(parts[0]), parts[1]));
        }
        this.shard = new ShardAgent(0, config, catalog, quota, ring, new ShardRouter(1), this::readClock,
            errorHandler != null ? errorHandler : errors::add, counters, pinnedRooms, shardId -> beforeTick.run(),
            shardId -> afterSnapshots.run());
    }

    private long readClock()
    {
        final long now = nowNs;
        nowNs += cycleCostNs;
        return now;
    }

    /**
     * @return a driver whose only type is a {@link RecordingGame} of {@code maxClients}, with one pinned room, under
     * {@link #config()} and a server-wide cap of 100 rooms.
     */
    static ShardDriver pinnedRoom(
        final Map<String, RecordingGame> games, final String type, final int maxClients, final String room)
    {
        return pinnedRoom(config(), games, type, maxClients, room);
    }

    static ShardDriver pinnedRoom(
        final ShardConfig config, final Map<String, RecordingGame> games, final String type, final int maxClients,
        final String room)
    {
        return new ShardDriver(config, 100, List.of(RecordingGame.type(type, maxClients, games)), type + ":" + room);
    }

    /**
     * @return 30 Hz, 3 catch-up ticks, 8 rooms, 2 inputs per tick, 4 pending inputs, a history window of 8 ticks,
     * interest off, checksums on, 64 unacknowledged stream messages.
     */
    static ShardConfig config()
    {
        return config(64);
    }

    static ShardConfig config(final int maxUnackedMessages)
    {
        return new ShardConfig(TICK_RATE_HZ, 3, 256, 8, 2, 4, 8, 0, 0, 64, true, maxUnackedMessages, 42L);
    }

    TestClient join(final long sessionId, final String type, final String room)
    {
        return join(sessionId, new JoinRequest(type, JoinRequest.MODE_NAMED, room, "p" + sessionId, Map.of()));
    }

    TestClient joinAny(final long sessionId, final String type)
    {
        return join(sessionId, new JoinRequest(type, JoinRequest.MODE_ANY, "", "p" + sessionId, Map.of()));
    }

    TestClient create(final long sessionId, final String type, final String room)
    {
        return join(sessionId, new JoinRequest(type, JoinRequest.MODE_CREATE, room, "p" + sessionId, Map.of()));
    }

    /**
     * Encodes the join as a client would, decodes and validates it as the network layer does, and publishes the
     * ticket.
     */
    TestClient join(final long sessionId, final JoinRequest request)
    {
        return join(sessionId, request, null);
    }

    /**
     * Joins as {@link #join(long, JoinRequest)} does, on a connection whose handshake verified {@code identity}.
     */
    TestClient join(final long sessionId, final JoinRequest request, final Identity identity)
    {
        final RecordingLink link = publishJoin(sessionId, request, identity);
        return new TestClient(this, link, catalog.get(request.roomType()));
    }

    /**
     * Publishes a join (a RESUME too) on a new link, encoded, decoded and validated as the network layer does.
     *
     * @return the new link.
     */
    RecordingLink publishJoin(final long sessionId, final JoinRequest request, final Identity identity)
    {
        final int length = controlCodec.encode(request, frame, 0);
        message.wrap(frame, 0, length);
        assertEquals(ClientMessageError.NONE, message.validate());
        final JoinRequest join = assertInstanceOf(JoinRequest.class, controlCodec.decode(frame, 0, length));
        final GameType type = catalog.get(join.roomType());
        assertNotNull(type, join.roomType());
        final RecordingLink link = new RecordingLink(sessionId);
        assertTrue(ring.tryPublishJoin(link, new JoinTicket(type, join.mode(), join.room(), join.player(),
            JoinOptionValues.of(type, join.options()), identity, join.resumeToken(), join.messageAck())));
        return link;
    }

    void publishInput(
        final RecordingLink link, final GameType type, final int ack, final int inputSeq, final int viewTick,
        final int... values)
    {
        final InputCodec codec = inputCodecs.computeIfAbsent(type.name(), name -> new InputCodec(type.inputSchema()));
        final int length = codec.encode(frame, 0, ack, inputSeq, viewTick, values);
        message.wrap(frame, 0, length);
        assertEquals(ClientMessageError.NONE, message.validate());
        inputValues.count = type.inputSchema().fieldCount();
        assertEquals(ClientMessageError.NONE, codec.decode(frame, 0, length, inputValues.values));
        assertTrue(ring.tryPublishInput(link, message, inputValues));
    }

    /**
     * Publishes a client MESSAGE whose fields are given in order: an Integer for a numeric field, a String for text.
     */
    void publishMessage(
        final RecordingLink link, final GameType type, final int ack, final int messageSeq,
        final MessageType messageType, final Object... fields)
    {
        messageEncoder.begin(messageType);
        for (int i = 0; i < fields.length; i++)
        {
            if (fields[i] instanceof Integer)
            {
                messageEncoder.putInt(i, (Integer)fields[i]);
            }
            else
            {
                messageEncoder.putText(i, (String)fields[i]);
            }
        }
        final int length = messageEncoder.encodeClientMessage(frame, 0, ack, messageSeq);
        message.wrap(frame, 0, length);
        assertEquals(ClientMessageError.NONE, message.validate());
        final MessageCodec codec = messageCodecs.computeIfAbsent(type.name(), name -> new MessageCodec(type));
        assertEquals(ClientMessageError.NONE, codec.validateClient(frame, 0, length));
        assertTrue(ring.tryPublishMessage(link, message, codec));
    }

    void publishAck(final RecordingLink link, final int ack, final int messageAck)
    {
        message.wrap(frame, 0, ClientMessageFlyweight.ACK_LENGTH).type(WireFormat.TYPE_ACK).ack(ack)
            .messageAck(messageAck);
        publishControl(link);
    }

    void publishPing(final RecordingLink link, final int ack)
    {
        message.wrap(frame, 0, ClientMessageFlyweight.PING_LENGTH).type(WireFormat.TYPE_PING).ack(ack)
            .pingTimestamp(nowNs);
        publishControl(link);
    }

    void publishLeave(final RecordingLink link, final int ack)
    {
        message.wrap(frame, 0, ClientMessageFlyweight.LEAVE_LENGTH).type(WireFormat.TYPE_LEAVE).ack(ack);
        publishControl(link);
    }

    void publishClosed(final RecordingLink link, final LeaveReason reason)
    {
        assertTrue(ring.tryPublishClosed(link, reason));
    }

    private void publishControl(final RecordingLink link)
    {
        assertEquals(ClientMessageError.NONE, message.validate());
        assertTrue(ring.tryPublishControl(link, message));
    }

    /**
     * One duty cycle at the current fake time: drains the ring, and runs a tick only when one is due.
     */
    int doWork()
    {
        return shard.doWork();
    }

    /**
     * Advances the clock one tick period at a time, running one tick each (two for the very first call, which also
     * runs the tick due at start).
     */
    void tick(final int ticks)
    {
        for (int i = 0; i < ticks; i++)
        {
            nowNs += PERIOD_NS;
            final long before = shard.fixedStep().tickCount();
            shard.doWork();
            assertTrue(shard.fixedStep().tickCount() > before, "a tick ran");
        }
    }

    /**
     * Runs ticks, each after the clients acknowledge what they applied, as real clients do: so each is sent a
     * snapshot every tick.
     */
    void tickAcknowledging(final int ticks, final TestClient... clients)
    {
        for (int i = 0; i < ticks; i++)
        {
            for (final TestClient client : clients)
            {
                client.acknowledge();
            }
            tick(1);
        }
    }

    Room room(final String name)
    {
        return shard.roomNamed(name);
    }

    /**
     * @return the players of a room as its clients should see them in their presence lists: by player id, name,
     * avatar and metadata.
     */
    Map<Integer, String> presenceOf(final String roomName)
    {
        final Room room = room(roomName);
        assertNotNull(room, roomName);
        final Map<Integer, String> players = new LinkedHashMap<>();
        for (int i = 0; i < room.playerCount(); i++)
        {
            final Player player = room.player(i);
            final Metadata metadata = ((RoomClient)player).presenceMetadata();
            final Map<String, String> entries = new LinkedHashMap<>();
            for (int m = 0; m < metadata.count(); m++)
            {
                entries.put(metadata.keys()[m], metadata.values()[m]);
            }
            players.put(player.id(), TestClient.describe(player.name(), player.entityId(), entries));
        }
        return players;
    }
}
