package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.Sequence;
import io.tickwire.sim.checkpoint.RoomSnapshot;
import io.tickwire.sim.journal.RoomJournal;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The duty cycle of one simulation shard: the single writer of its rooms, their games and their clients. Its parts,
 * one role each and all on the shard thread: the {@link RoomRegistry} (rooms by name, creation under the
 * server-wide quota, disposal), {@link JoinAdmission} (joins), the rooms themselves (games, players, messages),
 * {@link SnapshotFanOut} per room, and the {@link RoomPublisher}.
 * <pre>
 *   doWork():  now = clock.nanoTime()                     (read once per cycle, passed down)
 *              draining with handover: checkpoint every room first; while one waits for a free frame, stop here
 *              a tick due: the {@link TickInputGather} has the I/O side publish what it has received
 *              drain input ring  -> joins, leaves; acks; inputs queued per client; messages to the game, in
 *                                   arrival order; room inspections answered from the last tick's state;
 *                                   restores of rooms from checkpoints (detached seats, CRC of the capture checked)
 *              for each tick due (bounded catch-up):
 *                  dispose rooms empty past their keep-alive
 *                  each room: remove leaving clients, apply pending inputs, game.step, capture
 *                  close rooms whose game failed maxFaultedTicks ticks in a row (NOTICE ROOM_CLOSED, close 1011)
 *              if any tick ran: each room -> per client due (all, unless overloaded): interest, view kept,
 *                               grouped with identical snapshots, ordered by the arrival of its oldest new input
 *                               in {@value #SNAPSHOT_STAGES} stages by arrival, each room: delta vs its ack, one body
 *                               per group -> its link (queued); then the {@link SnapshotFlush} and a yield: the
 *                               I/O side writes the stage (event loops) while the shard goes on
 *                               rooms due a checkpoint -> a free frame filled -> the checkpoint sink (no allocation)
 *                               record the cycle's duration (clock read again) and lateness in {@link TickTimings}
 *                               and the {@link OverloadGovernor} (the next cycle's snapshot rates)
 *                               at most once per publish period, or with checkpoints after a room closed:
 *                               publish an immutable list of the rooms
 * </pre>
 * Run it under an Agrona {@link org.agrona.concurrent.AgentRunner}, or call {@link #doWork()} by hand with a fake
 * clock in tests. Exceptions from game code are caught per callback, counted and passed to the error handler; the
 * loop goes on. A {@link VirtualMachineError} (out of memory, stack overflow, internal error) is never swallowed: it
 * may have struck inside the shard's own code, called back by a game, half way through an update, so the shard's
 * state can no longer be trusted. It, or any other {@link Error} that reaches the loop boundary, is recorded as the
 * shard's {@link #failure()} and thrown out of {@link #doWork()}, which ends an Agrona runner's thread (Agrona's
 * runner rethrows errors); the network layer's supervisor then closes the shard's clients and {@code /health}
 * reports it.
 * <p>
 * The second clock read of a cycle only measures it: nothing the simulation does depends on it. Only which clients
 * get a snapshot while the shard is overloaded does, and the journal records who got one.
 */
public final class ShardAgent implements Agent
{
    private static final int NOT_DRAINING = -1;
    /**
     * Stages in which a tick's snapshots are offered and flushed, by the arrival of the inputs they show
     * ({@link #sendSnapshots}). Four, as the event loops read their sockets four times a tick (the network layer's
     * read-ahead), so a stage holds about one read's inputs; each stage but the last costs each loop one more
     * wake-up a tick.
     */
    public static final int SNAPSHOT_STAGES = 4;

    private final int shardId;
    private final ShardConfig config;
    private final GameCatalog catalog;
    private final InputRing ring;
    private final NanoClock clock;
    private final ErrorHandler errorHandler;
    private final ShardCounters counters;
    private final TickInputGather inputGather;
    private final SnapshotFlush snapshotFlush;
    private final FixedStep fixedStep;
    private final TickTimings tickTimings = new TickTimings();
    private final OverloadGovernor overload;
    private SharedSnapshotBodies snapshotBodies = SharedSnapshotBodies.onHeap();
    private final ShardScratch scratch = new ShardScratch();
    private final ShardClients sessions = new ShardClients();
    private final GameErrors gameErrors = this::onGameError;
    private final RoomRegistry rooms;
    private final JoinAdmission admission;
    private final RoomPublisher publisher;
    private final UnsafeBuffer frameBuffer;
    /**
     * The arrival rank of the next input taken from the ring, by which its snapshot is written: the clock at the
     * cycle that takes it, plus its place in that cycle's drain, so ranks of several shards compare, and never
     * below the last.
     */
    private long nextArrivalRank;
    private volatile int drainReconnectDelayMs = NOT_DRAINING;
    private volatile boolean drainCheckpointFirst;
    private volatile boolean drained;
    private volatile Throwable failure;
    private final InputRing.InputHandler inputHandler = new InputRing.InputHandler()
    {
        protected void onInputEvent(final InputEvent event)
        {
            ShardAgent.this.onInputEvent(event);
        }
    };

    /**
     * @param pinnedRooms rooms this shard opens at once and keeps for its life; each must be routed to this shard by
     *                    {@code router}.
     * @param inputGather called at the start of each cycle that runs a tick, before the ring is drained;
     *                    {@link TickInputGather#NONE} when the I/O side publishes inputs as they arrive.
     * @param snapshotFlush called after each stage of a cycle's snapshots that offered any, and after the last;
     *                      {@link SnapshotFlush#NONE} when the links write what they are offered at once.
     */
    public ShardAgent(
        final int shardId,
        final ShardConfig config,
        final GameCatalog catalog,
        final RoomQuota quota,
        final InputRing ring,
        final ShardRouter router,
        final NanoClock clock,
        final ErrorHandler errorHandler,
        final ShardCounters counters,
        final List<PinnedRoom> pinnedRooms,
        final TickInputGather inputGather,
        final SnapshotFlush snapshotFlush)
    {
        this.shardId = shardId;
        this.inputGather = inputGather;
        this.snapshotFlush = snapshotFlush;
        this.config = config;
        this.catalog = catalog;
        this.ring = ring;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.counters = counters;
        this.rooms = new RoomRegistry(shardId, config, quota, router, gameErrors, counters, scratch);
        this.admission = new JoinAdmission(config, rooms, sessions, gameErrors, counters, scratch);
        this.publisher =
            new RoomPublisher(shardId, config.roomPublishPeriodNs(), config.checkpointSink() != null);
        int frameLength = 0;
        for (final GameType type : catalog.types())
        {
            frameLength = Math.max(frameLength, SnapshotFanOut.maxFrameLength(type.entitySchema(), type.maxEntities()));
        }
        this.frameBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(frameLength));

        final long startNs = clock.nanoTime();
        this.fixedStep = new FixedStep(config.tickPeriodNs(), config.maxCatchUpTicks(), startNs);
        this.overload = new OverloadGovernor(config.tickPeriodNs());
        for (final PinnedRoom pinned : pinnedRooms)
        {
            if (router.shardOf(pinned.name()) != shardId)
            {
                throw new IllegalArgumentException(
                    "room " + pinned.name() + " belongs to shard " + router.shardOf(pinned.name()));
            }
            if (rooms.create(pinned.name(), pinned.type(), true, JoinOptionValues.defaults(pinned.type())) == null)
            {
                throw new IllegalStateException("room " + pinned.name() + " could not be opened");
            }
        }
        publisher.publish(rooms, startNs);
        counters.lastTickStartNs.lazySet(startNs);
    }

    /**
     * Sets where the shard keeps the snapshot bodies it shares among clients; {@link SharedSnapshotBodies#onHeap()}
     * until set. Before the shard's thread starts.
     *
     * @param bodies the network layer's reference-counted bodies; null encodes every client's snapshot alone (tests
     *               compare the two byte for byte).
     */
    public void snapshotBodies(final SharedSnapshotBodies bodies)
    {
        snapshotBodies = bodies;
    }

    public String roleName()
    {
        return "tickwire-shard-" + shardId;
    }

    public int doWork()
    {
        try
        {
            return runCycle();
        }
        catch (final Error ex)
        {
            failure = ex;
            throw ex;
        }
    }

    /**
     * Any thread.
     *
     * @return the error thrown out of {@link #doWork()}, which ended this shard's loop; null while it has not
     * failed.
     */
    public Throwable failure()
    {
        return failure;
    }

    private int runCycle()
    {
        final long nowNs = clock.nanoTime();
        final int reconnectDelayMs = drainReconnectDelayMs;
        if (reconnectDelayMs != NOT_DRAINING)
        {
            if (!takeDrainCheckpoints())
            {
                return 1;
            }
            drain(reconnectDelayMs);
        }
        if (fixedStep.isDue(nowNs))
        {
            inputGather.gather(shardId);
        }
        nextArrivalRank = Math.max(nextArrivalRank, nowNs);
        final long cycleFirstArrival = nextArrivalRank;
        int workCount = ring.drain(inputHandler);
        if (workCount > 0)
        {
            flushPresence();
        }

        final int ticks = fixedStep.claimDueTicks(nowNs);
        if (ticks > 0)
        {
            counters.lastTickStartNs.lazySet(nowNs);
            for (int i = 0; i < ticks; i++)
            {
                tick();
            }
            flushPresence();
            try
            {
                sendSnapshots(cycleFirstArrival);
            }
            finally
            {
                snapshotFlush.flush(shardId);
            }
            if (config.checkpointsEnabled())
            {
                checkpointDueRooms();
            }
            counters.ticks.lazySet(fixedStep.tickCount());
            counters.catchUpTicks.lazySet(fixedStep.catchUpTicks());
            counters.overrunTicks.lazySet(fixedStep.overrunTicks());
            final long cycleNs = clock.nanoTime() - nowNs;
            tickTimings.onCycle(cycleNs, fixedStep.lastLatenessNs());
            counters.overloadLevel.lazySet(overload.onCycle(cycleNs, fixedStep.lastLatenessNs()));
            publisher.maybePublish(rooms, nowNs);
            workCount += ticks;
        }
        return workCount;
    }

    /**
     * Server shutdown: every player is told the server is draining (NOTICE 12 with the reconnect delay asked by
     * {@link #requestDrain(int)}, 0 if none was) and leaves ({@link LeaveReason#SERVER_SHUTDOWN}, close 1001), and
     * every room is disposed.
     */
    public void onClose()
    {
        rooms.disposeAll(sessions, Math.max(0, drainReconnectDelayMs));
    }

    /**
     * Asks the shard to drain at its next duty cycle, as {@link #onClose()} does, and to go on draining rooms a join
     * still in the ring may open meanwhile; {@link #isDrained()} turns true after the first. Any thread; idempotent.
     *
     * @param reconnectDelayMs the delay the NOTICE suggests to clients before they reconnect, in milliseconds, 0 or
     *                         more.
     */
    public void requestDrain(final int reconnectDelayMs)
    {
        requestDrain(reconnectDelayMs, false);
    }

    /**
     * Asks the shard to drain, as {@link #requestDrain(int)}; with {@code checkpointFirst}, every room is first
     * checkpointed (its frame offered to the {@link ShardConfig#checkpointSink()}) before its game sees
     * {@code onLeave(SERVER_SHUTDOWN)} and {@code onDispose}: a room with no free frame waits for a later cycle, the
     * shard never blocks. Rooms of a game without checkpoints drain at once. Any thread; idempotent.
     *
     * @param reconnectDelayMs the delay the NOTICE suggests to clients before they reconnect, in milliseconds, 0 or
     *                         more.
     * @param checkpointFirst  whether to checkpoint every room before it is disposed (a handover to other nodes).
     */
    public void requestDrain(final int reconnectDelayMs, final boolean checkpointFirst)
    {
        if (reconnectDelayMs < 0)
        {
            throw new IllegalArgumentException("reconnectDelayMs must be 0 or more: " + reconnectDelayMs);
        }
        drainCheckpointFirst = checkpointFirst;
        drainReconnectDelayMs = reconnectDelayMs;
    }

    /**
     * Asks the shard to restore a room from a checkpoint at its next duty cycle. The shard builds the room at the
     * saved tick with its seats detached (each waits {@link ShardConfig#rehomeGraceTicks()} for its player), calls
     * the game's factory and {@code restore} (not {@code onCreate}), captures and checks the capture's CRC, then
     * completes {@code done}: true when the room runs, false when it could not be restored (a room of that name
     * exists here, the type is unknown or has no checkpoints, the shard is full or draining, the game's
     * {@code restore} threw). Any thread. The shard completes {@code done} on its own thread: attach dependent
     * actions with an {@code *Async} method and an executor of your own, so they never run on the shard thread. A
     * restored room is published before {@code done} completes: whoever sees true finds it in
     * {@link #publishedRooms()} until a later publication leaves it out, which means it closed.
     *
     * @param snapshot a snapshot that owns its game bytes ({@link io.tickwire.sim.checkpoint.CheckpointCodec#read});
     *                 the shard reads it, so the caller must not change it afterwards.
     * @param epoch    the room's ownership epoch, published in its {@link RoomInfo}.
     * @return false when the ring is full: nothing was published and {@code done} is left as it is.
     */
    public boolean requestRestore(final RoomSnapshot snapshot, final long epoch, final CompletableFuture<Boolean> done)
    {
        return ring.tryPublishRestore(snapshot, epoch, done);
    }

    /**
     * @return true once the shard has told every client it had when asked to drain, closed it and disposed every
     * room (each game's {@code onDispose} returned or threw). With checkpoints first, every drain checkpoint of those
     * rooms was offered to the sink before this turns true (a cluster's handover relies on it). Any thread.
     */
    public boolean isDrained()
    {
        return drained;
    }

    /**
     * @return true once the shard drained ({@link #isDrained()}) or failed ({@link #failure()}): either way its drain
     * gives nothing more, so a drain waits for it no longer. Any thread.
     */
    public boolean isDrainedOrFailed()
    {
        return drained || failure != null;
    }

    /**
     * @return when this shard's next tick falls due, on its clock; its idle strategy sleeps until then. Shard thread.
     */
    public long nextTickNs()
    {
        return fixedStep.nextTickNs();
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
     * {@link ShardConfig#roomPublishPeriodNs()} (a second by default), so the list may be up to a period (plus a
     * tick) old: a room created since is missing, a room disposed since is still there, and the figures may be
     * stale. With checkpoints it also publishes at the end of a ticking cycle that disposed a room (a room that
     * closed is then listed for at most that cycle). It publishes at once when a drain disposed its rooms, and when a
     * restore succeeded ({@link #requestRestore}).
     *
     * @return an immutable list of this shard's rooms as last published, in no particular order.
     */
    public List<RoomInfo> publishedRooms()
    {
        return publisher.published();
    }

    private void drain(final int reconnectDelayMs)
    {
        if (rooms.count() > 0)
        {
            rooms.disposeAll(sessions, reconnectDelayMs);
            publisher.publish(rooms, clock.nanoTime());
        }
        drained = true;
    }

    /**
     * After the fan-out, so a checkpoint's capture is the one the clients just got.
     */
    private void checkpointDueRooms()
    {
        for (int i = 0, n = rooms.count(); i < n; i++)
        {
            final RoomCheckpoints checkpoints = rooms.room(i).checkpoints();
            if (checkpoints.isDue())
            {
                checkpoints.checkpointDue(config.checkpointSink(), scratch);
            }
        }
    }

    /**
     * A drain with handover checkpoints every room before any is disposed. While a room waits for a free frame, the
     * shard neither drains its ring nor ticks, so no game state changes between a room's checkpoint and its disposal.
     *
     * @return true when every room is checkpointed (or cannot be), or no checkpoint was asked for.
     */
    private boolean takeDrainCheckpoints()
    {
        if (!drainCheckpointFirst || config.checkpointSink() == null)
        {
            return true;
        }
        boolean allTaken = true;
        for (int i = 0, n = rooms.count(); i < n; i++)
        {
            allTaken &= rooms.room(i).checkpoints().takeDrainCheckpoint(config.checkpointSink(), scratch);
        }
        return allTaken;
    }

    private void onRestore(final InputEvent event)
    {
        boolean restored = false;
        try
        {
            final RoomSnapshot snapshot = event.restoreSnapshot;
            final GameType type = catalog.get(snapshot.type());
            restored = drainReconnectDelayMs == NOT_DRAINING && type != null && type.checkpointVersion() > 0 &&
                rooms.restore(snapshot, type, event.restoreEpoch) != null;
            if (restored)
            {
                // Before done completes: from then on a publication without the room means it closed.
                publisher.publish(rooms, clock.nanoTime());
            }
        }
        finally
        {
            if (!restored)
            {
                counters.restoresFailed.incrementAndGet();
            }
            event.restoreDone.complete(restored);
        }
    }

    private void tick()
    {
        rooms.disposeExpired(sessions);
        for (int i = 0, n = rooms.count(); i < n; i++)
        {
            final Room room = rooms.room(i);
            counters.leaves.addAndGet(room.removeLeavers(sessions));
            counters.inputsApplied.addAndGet(room.step(config.maxInputsPerTick()));
        }
        rooms.closeFaulted(sessions);
    }

    /**
     * Sends each room's batched presence events: at the end of a drain, and after the ticks before their snapshots.
     */
    private void flushPresence()
    {
        for (int i = 0, n = rooms.count(); i < n; i++)
        {
            rooms.room(i).flushPresence();
        }
    }

    /**
     * Offers every room's snapshots of the tick in {@value #SNAPSHOT_STAGES} stages, and has the event loops start
     * writing each stage but the last as soon as it is offered (the cycle flushes the last). A stage holds the
     * snapshots that first show an input of its share of the ranks this cycle's drain gave out (inputs taken at
     * earlier cycles go in the first), so the loops write the inputs that waited longest while the shard still
     * encodes the rest, rather than after the whole fan-out; each room offers its clients in rank order.
     * <p>
     * After each flush the shard yields its core: a loop that shares it (one core for the server) then writes the
     * stage at once instead of when the scheduler next preempts the shard, which at 1000 clients in one room took
     * 2.3 ms off input latency p99 (PERFORMANCE.md, "Twelfth pass"). On a core of its own the yield returns at once.
     *
     * @param cycleFirstArrival the rank of the first input this cycle took from the ring.
     */
    private void sendSnapshots(final long cycleFirstArrival)
    {
        final int roomCount = rooms.count();
        final boolean sharing = snapshotBodies != null;
        final int overloadLevel = overload.level();
        long clients = 0;
        for (int i = 0; i < roomCount; i++)
        {
            final Room room = rooms.room(i);
            clients += room.clientCount();
            if (!room.isFaulted())
            {
                try
                {
                    room.fanOut().plan(room, sharing, overloadLevel);
                }
                catch (final VirtualMachineError ex)
                {
                    throw ex;
                }
                catch (final Throwable ex)
                {
                    onError(ex);
                }
            }
        }
        try
        {
            final long cycleArrivals = nextArrivalRank - cycleFirstArrival;
            for (int stage = 1; stage <= SNAPSHOT_STAGES; stage++)
            {
                final long lastRank = stage < SNAPSHOT_STAGES ?
                    cycleFirstArrival + cycleArrivals * stage / SNAPSHOT_STAGES - 1 : ClientLink.UNRANKED;
                int offered = 0;
                for (int i = 0; i < roomCount; i++)
                {
                    offered += offerSnapshots(rooms.room(i), lastRank);
                }
                if (offered > 0 && stage < SNAPSHOT_STAGES)
                {
                    snapshotFlush.flush(shardId);
                    Thread.yield();
                }
            }
        }
        finally
        {
            completeFanOuts(roomCount, clients);
        }
    }

    /**
     * @return the number of snapshots the room offered.
     */
    private int offerSnapshots(final Room room, final long lastRank)
    {
        try
        {
            return room.fanOut().offer(room, frameBuffer, snapshotBodies, lastRank);
        }
        catch (final VirtualMachineError ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            onError(ex);
            return 0;
        }
    }

    private void completeFanOuts(final int roomCount, final long clients)
    {
        long reducedRate = 0;
        try
        {
            for (int i = 0; i < roomCount; i++)
            {
                final Room room = rooms.room(i);
                try
                {
                    room.fanOut().complete(room, counters);
                    reducedRate += room.fanOut().takeReducedRateClients();
                }
                catch (final VirtualMachineError ex)
                {
                    throw ex;
                }
                catch (final Throwable ex)
                {
                    onError(ex);
                }
            }
        }
        finally
        {
            if (snapshotBodies != null)
            {
                snapshotBodies.releaseShared();
            }
        }
        counters.rooms.lazySet(roomCount);
        counters.clients.lazySet(clients);
        counters.clientsAtReducedRate.lazySet(reducedRate);
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
                case InputEvent.MESSAGE:
                    onMessage(event);
                    break;
                case InputEvent.ACK:
                    onAcks(event);
                    break;
                case InputEvent.SNAPSHOT_ACK:
                    clientOf(event);
                    break;
                case InputEvent.JOIN:
                    admission.onJoin(event.link(), event.join());
                    break;
                case InputEvent.LEAVE:
                    onLeave(event.link(), LeaveReason.LEFT);
                    break;
                case InputEvent.INSPECT:
                    event.inspection().answerFrom(rooms.named(event.inspection().roomName()));
                    break;
                case InputEvent.RESTORE:
                    onRestore(event);
                    break;
                case InputEvent.CLOSED:
                    onClosed(event.link(), event.closeReason != null ? event.closeReason : LeaveReason.DISCONNECTED);
                    break;
                default:
                    throw new IllegalStateException("unknown input event type " + event.type());
            }
        }
        catch (final VirtualMachineError ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    /**
     * @return the client of the event's session after recording the ack it carries, or null when it has none or is
     * leaving.
     */
    private RoomClient clientOf(final InputEvent event)
    {
        final RoomClient client = sessions.get(event.link().sessionId());
        if (client == null || client.state() == RoomClient.LEAVING)
        {
            counters.eventsWithoutClient.incrementAndGet();
            return null;
        }
        if (!client.onAck(event.ack()))
        {
            counters.acksIgnored.incrementAndGet();
        }
        if (client.previousToken() != null)
        {
            sessions.confirmToken(client);
        }
        return client;
    }

    private void onInput(final InputEvent event)
    {
        final RoomClient client = clientOf(event);
        if (client == null)
        {
            return;
        }
        switch (client.queueInput(event.inputSeq(), event.viewTick(), event.values(), nextArrivalRank++))
        {
            case RoomClient.STALE:
                counters.inputsStale.incrementAndGet();
                break;
            case RoomClient.OVERFLOW:
                counters.inputsOverflowed.incrementAndGet();
                break;
            default:
                counters.inputsQueued.lazySet(counters.inputsQueued.get() + 1);
                break;
        }
    }

    private void onMessage(final InputEvent event)
    {
        final RoomClient client = clientOf(event);
        if (client == null)
        {
            return;
        }
        final int lastMessageSeq = client.lastClientMessageSeq();
        if (lastMessageSeq != Sequence.NONE && !Sequence.isNewer(event.messageSeq, lastMessageSeq))
        {
            counters.clientMessagesDuplicate.incrementAndGet();
            return;
        }
        if (event.messageSeq != Sequence.next(lastMessageSeq))
        {
            counters.clientMessageGaps.incrementAndGet();
            client.markLeaving(LeaveReason.DISCONNECTED);
            client.link.close(CloseCodes.PROTOCOL_ERROR, "message sequence gap");
            return;
        }
        client.onClientMessage(event.messageSeq);
        final MessageType type = client.room.type().messageType(event.messageTypeId);
        final MessageReader reader = scratch.messageReader;
        scratch.inboundBuffer.wrap(event.payload(), 0, event.payloadLength);
        reader.wrap(type, scratch.inboundBuffer, event.fieldsOffset, event.payloadLength - event.fieldsOffset);
        counters.clientMessages.incrementAndGet();
        final RoomJournal journal = client.room.journal();
        if (journal != null)
        {
            journal.onMessage(client.room.tick(), client.id(), event.messageTypeId, scratch.inboundBuffer,
                event.fieldsOffset, event.payloadLength - event.fieldsOffset);
        }
        client.room.onMessage(client, reader);
    }

    private void onAcks(final InputEvent event)
    {
        final RoomClient client = clientOf(event);
        if (client != null && !client.onStreamAck(event.messageAck))
        {
            counters.streamAcksIgnored.incrementAndGet();
        }
    }

    private void onLeave(final ClientLink link, final LeaveReason reason)
    {
        final RoomClient client = sessions.get(link.sessionId());
        if (client != null)
        {
            sessions.forget(client);
            counters.leaves.incrementAndGet();
            client.room.remove(client, client.state() == RoomClient.LEAVING ? client.leaveReason() : reason, true);
        }
    }

    /**
     * The connection closed without a leave: the player keeps its seat for a resume, or leaves.
     */
    private void onClosed(final ClientLink link, final LeaveReason reason)
    {
        final RoomClient client = sessions.get(link.sessionId());
        if (client != null && !client.room.onLinkClosed(client, reason, sessions))
        {
            counters.leaves.incrementAndGet();
        }
    }

    private void onGameError(final Room room, final String callback, final Throwable error)
    {
        if (error instanceof VirtualMachineError)
        {
            throw (VirtualMachineError)error;
        }
        counters.gameErrors.incrementAndGet();
        onError(new GameException(room.typeName(), room.name(), callback, error));
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
        return rooms.named(name);
    }
}
