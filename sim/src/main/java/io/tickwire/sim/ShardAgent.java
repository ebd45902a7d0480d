package io.tickwire.sim;

import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The duty cycle of one simulation shard: the single writer of its rooms, their games and their clients.
 * <pre>
 *   doWork():  now = clock.nanoTime()                     (read once per cycle, passed down)
 *              drain input ring  -> joins, leaves, acks, inputs queued per client, in arrival order
 *              for each tick due (bounded catch-up):
 *                  each room: drop closed links, apply pending inputs, game.step, capture
 *              if any tick ran: each room -> per client: interest, delta vs its ack -> its link (event loop writes)
 *                               record the cycle's duration (clock read again) and lateness in {@link TickTimings}
 *                               at most once a second: publish an immutable list of the rooms
 * </pre>
 * Run it under an Agrona {@link org.agrona.concurrent.AgentRunner}, or call {@link #doWork()} by hand with a fake
 * clock in tests. Exceptions from game code or event handling are caught per room or per event, counted and
 * passed to the error handler; the loop goes on.
 * <p>
 * The second clock read of a cycle only measures it: nothing the simulation does depends on it.
 */
public final class ShardAgent implements Agent
{
    private static final long ROOMS_PUBLISH_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);

    private final int shardId;
    private final ShardConfig config;
    private final GameFactory gameFactory;
    private final InputRing ring;
    private final ShardRouter router;
    private final NanoClock clock;
    private final ErrorHandler errorHandler;
    private final ShardCounters counters;
    private final FixedStep fixedStep;
    private final TickTimings tickTimings = new TickTimings();
    private final ControlCodec controlCodec = new ControlCodec();
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[4096]);
    private UnsafeBuffer frameBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(0));
    private final Long2ObjectHashMap<RoomClient> clientsBySession = new Long2ObjectHashMap<>();
    private final Object2ObjectHashMap<String, Room> roomsByName = new Object2ObjectHashMap<>();
    private final Room[] rooms;
    private final InputRing.InputHandler inputHandler = new InputRing.InputHandler()
    {
        protected void onInputEvent(final InputEvent event)
        {
            ShardAgent.this.onInputEvent(event);
        }
    };
    private int roomCount;
    private int openRoomCounter;
    private long roomsPublishedNs;
    private volatile List<RoomInfo> publishedRooms;

    /**
     * @param pinnedRooms names of rooms this shard creates at once and keeps for its life; each must be routed to
     *                    this shard by {@code router}.
     */
    public ShardAgent(
        final int shardId,
        final ShardConfig config,
        final GameFactory gameFactory,
        final InputRing ring,
        final ShardRouter router,
        final NanoClock clock,
        final ErrorHandler errorHandler,
        final ShardCounters counters,
        final List<String> pinnedRooms)
    {
        this.shardId = shardId;
        this.config = config;
        this.gameFactory = gameFactory;
        this.ring = ring;
        this.router = router;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.counters = counters;
        this.rooms = new Room[config.maxRoomsPerShard()];
        final long startNs = clock.nanoTime();
        this.fixedStep = new FixedStep(config.tickPeriodNs(), config.maxCatchUpTicks(), startNs);
        for (final String name : pinnedRooms)
        {
            if (router.shardOf(name) != shardId)
            {
                throw new IllegalArgumentException("room " + name + " belongs to shard " + router.shardOf(name));
            }
            createRoom(name, true);
        }
        publishRooms(startNs);
    }

    public String roleName()
    {
        return "tickwire-shard-" + shardId;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int workCount = ring.drain(inputHandler);

        final int ticks = fixedStep.claimDueTicks(nowNs);
        if (ticks > 0)
        {
            for (int i = 0; i < ticks; i++)
            {
                tick();
            }
            sendSnapshots();
            counters.ticks.lazySet(fixedStep.tickCount());
            counters.catchUpTicks.lazySet(fixedStep.catchUpTicks());
            counters.overrunTicks.lazySet(fixedStep.overrunTicks());
            tickTimings.onCycle(clock.nanoTime() - nowNs, fixedStep.lastLatenessNs());
            if (nowNs - roomsPublishedNs >= ROOMS_PUBLISH_PERIOD_NS)
            {
                publishRooms(nowNs);
            }
            workCount += ticks;
        }
        return workCount;
    }

    public void onClose()
    {
        for (int i = roomCount - 1; i >= 0; i--)
        {
            final Room room = rooms[i];
            for (int c = room.clientCount() - 1; c >= 0; c--)
            {
                room.client(c).link.close(CloseCodes.GOING_AWAY, "server shutting down");
            }
        }
    }

    /**
     * @return the fixed-step schedule, for tests and metrics on the shard thread.
     */
    public FixedStep fixedStep()
    {
        return fixedStep;
    }

    public int shardId()
    {
        return shardId;
    }

    /**
     * @return this shard's cycle durations and tick latenesses; recorded by the shard thread, sampled by any.
     */
    public TickTimings tickTimings()
    {
        return tickTimings;
    }

    /**
     * Any thread. The shard publishes its rooms at construction and then after a ticking cycle at most once per
     * second, so the list may be up to a second (plus a tick) old: a room created since is missing, a room disposed
     * since is still there.
     *
     * @return an immutable list of this shard's rooms as last published, in no particular order.
     */
    public List<RoomInfo> publishedRooms()
    {
        return publishedRooms;
    }

    private void tick()
    {
        disposeEmptyRooms();
        for (int i = 0; i < roomCount; i++)
        {
            final Room room = rooms[i];
            try
            {
                dropClosedLinks(room);
                counters.inputsApplied.addAndGet(room.step(config.maxInputsPerTick()));
            }
            catch (final Throwable ex)
            {
                room.markFaulted();
                onError(ex);
            }
        }
    }

    private void sendSnapshots()
    {
        long clients = 0;
        for (int i = 0; i < roomCount; i++)
        {
            final Room room = rooms[i];
            clients += room.clientCount();
            try
            {
                if (!room.isFaulted())
                {
                    room.fanOut().send(room, frameBuffer, counters);
                }
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
        }
        counters.rooms.lazySet(roomCount);
        counters.clients.lazySet(clients);
    }

    private void onInputEvent(final InputEvent event)
    {
        try
        {
            switch (event.type())
            {
                case InputEvent.INPUT:
                    onInput(event);
                    break;
                case InputEvent.JOIN:
                    onJoin(event.link(), event.join());
                    break;
                case InputEvent.LEAVE:
                case InputEvent.CLOSED:
                    onLeave(event.link().sessionId());
                    break;
                default:
                    throw new IllegalStateException("unknown input event type " + event.type());
            }
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    private void onInput(final InputEvent event)
    {
        final RoomClient client = clientsBySession.get(event.link().sessionId());
        if (client == null)
        {
            counters.eventsWithoutClient.incrementAndGet();
            return;
        }

        if (!client.onAck(event.ack()))
        {
            counters.acksIgnored.incrementAndGet();
        }

        switch (client.queueInput(event.inputSeq(), event.moveX(), event.moveY(), event.buttons()))
        {
            case RoomClient.STALE:
                counters.inputsStale.incrementAndGet();
                break;
            case RoomClient.OVERFLOW:
                counters.inputsOverflowed.incrementAndGet();
                break;
            default:
                break;
        }
    }

    private void onJoin(final ClientLink link, final JoinRequest join)
    {
        Room room = join.room().isEmpty() ? findRoomWithSpace() : roomsByName.get(join.room());
        if (room == null)
        {
            if (roomCount == rooms.length)
            {
                refuseJoin(link, Notice.CODE_NO_ROOM, "no room can be created", CloseCodes.TRY_AGAIN_LATER);
                return;
            }
            room = createRoom(join.room().isEmpty() ? newOpenRoomName() : join.room(), false);
        }

        if (!room.hasSpace())
        {
            refuseJoin(link, Notice.CODE_ROOM_FULL, "room full", CloseCodes.TRY_AGAIN_LATER);
            return;
        }

        final RoomClient client = room.add(link, join.player(), config);
        if (client == null)
        {
            refuseJoin(link, Notice.CODE_ROOM_FULL, "room cannot spawn more players", CloseCodes.TRY_AGAIN_LATER);
            return;
        }
        clientsBySession.put(link.sessionId(), client);
        counters.joins.incrementAndGet();

        final Welcome welcome = new Welcome(
            link.sessionId(), config.tickRateHz(), client.entityId, room.name(), config.historyWindowTicks(),
            room.game().schema());
        link.sendControl(controlBuffer, 0, controlCodec.encode(welcome, controlBuffer, 0));
    }

    private void refuseJoin(final ClientLink link, final int code, final String text, final int closeCode)
    {
        counters.joinsRefused.incrementAndGet();
        link.sendControl(controlBuffer, 0, controlCodec.encode(new Notice(code, 0, text), controlBuffer, 0));
        link.close(closeCode, text);
    }

    private void onLeave(final long sessionId)
    {
        final RoomClient client = clientsBySession.remove(sessionId);
        if (client != null)
        {
            counters.leaves.incrementAndGet();
            client.room.remove(client);
        }
    }

    private void dropClosedLinks(final Room room)
    {
        for (int i = room.clientCount() - 1; i >= 0; i--)
        {
            final ClientLink link = room.client(i).link;
            if (!link.isOpen())
            {
                onLeave(link.sessionId());
            }
        }
    }

    private Room findRoomWithSpace()
    {
        for (int i = 0; i < roomCount; i++)
        {
            if (rooms[i].hasSpace())
            {
                return rooms[i];
            }
        }
        return null;
    }

    private String newOpenRoomName()
    {
        String name;
        do
        {
            name = "open-" + shardId + "-" + (++openRoomCounter);
        }
        while (router.shardOf(name) != shardId || roomsByName.containsKey(name));
        return name;
    }

    private Room createRoom(final String name, final boolean pinned)
    {
        final Game game = gameFactory.create(name, config.tickRateHz());
        final Room room = new Room(name, game, pinned, config);
        final int frameLength = SnapshotFanOut.maxFrameLength(game.schema(), config.maxEntitiesPerRoom());
        if (frameBuffer.capacity() < frameLength)
        {
            frameBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));
        }
        rooms[roomCount++] = room;
        roomsByName.put(name, room);
        counters.roomsCreated.incrementAndGet();
        return room;
    }

    private void disposeEmptyRooms()
    {
        for (int i = roomCount - 1; i >= 0; i--)
        {
            final Room room = rooms[i];
            if (room.clientCount() == 0 && !room.isPinned())
            {
                roomsByName.remove(room.name());
                rooms[i] = rooms[--roomCount];
                rooms[roomCount] = null;
                counters.roomsDisposed.incrementAndGet();
            }
        }
    }

    /**
     * Builds the immutable room list and publishes it with a volatile write. Shard thread (or the constructor, before
     * the shard runs); allocates, which is why it runs at most once a second.
     */
    private void publishRooms(final long nowNs)
    {
        final RoomInfo[] infos = new RoomInfo[roomCount];
        for (int i = 0; i < roomCount; i++)
        {
            final Room room = rooms[i];
            infos[i] = new RoomInfo(
                room.name(), room.clientCount(), config.maxClientsPerRoom(), shardId, room.tick(),
                room.entities().count());
        }
        roomsPublishedNs = nowNs;
        publishedRooms = List.of(infos);
    }

    private void onError(final Throwable ex)
    {
        counters.errors.incrementAndGet();
        errorHandler.onError(ex);
    }

    /**
     * @return the room named {@code name} or null; shard thread only.
     */
    Room roomNamed(final String name)
    {
        return roomsByName.get(name);
    }
}
