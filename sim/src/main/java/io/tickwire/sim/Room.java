package io.tickwire.sim;

import io.tickwire.api.ByteStateReader;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Message;
import io.tickwire.api.MessageWriter;
import io.tickwire.api.Player;
import io.tickwire.api.Rewind;
import io.tickwire.api.RoomContext;
import io.tickwire.api.RoomRandom;
import io.tickwire.api.StateWriter;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.Notice;
import io.tickwire.sim.checkpoint.RoomSnapshot;
import io.tickwire.sim.checkpoint.SeatState;
import io.tickwire.sim.journal.RoomJournal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room: its game, its players and the entity state captured at its last tick; the {@link RoomContext} its game
 * sees. Owned by one shard thread, which is the only thread that calls it. Every call into the game goes through
 * here and is guarded: an exception is counted and reported, and the room goes on (a failed step or capture leaves
 * the room faulted until a step succeeds, so no snapshot is built from half-written state; the shard closes a room
 * faulted for {@link ShardConfig#maxFaultedTicks()} ticks in a row).
 */
final class Room implements RoomContext
{
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /** How long a seated reservation stays in the room's publications, in seconds of ticks. */
    static final int RESERVATION_LISTING_SECONDS = 2;

    private final String name;
    private final GameType type;
    private final boolean pinned;
    private final ShardConfig config;
    private final GameErrors errors;
    private final ShardCounters counters;
    private final ShardScratch scratch;
    private final RoomClient[] clients;
    private final EntityTable entities;
    private final WorldHistory world;
    private final SnapshotFanOut fanOut;
    private final InterestGrid grid;
    private final RoomRandom random;
    private final RoomOutbox outbox;
    private final RoomRewind rewind;
    private final RoomInput input = new RoomInput();
    private final Metadata metadata = new Metadata(MAX_METADATA_ENTRIES, MAX_METADATA_KEY_LENGTH,
        MAX_METADATA_VALUE_LENGTH);
    private final long keepAliveTicks;
    private final long resumeGraceTicks;
    private final RoomCheckpoints checkpoints;
    private final List<String> seatedReservations = new ArrayList<>();
    private final List<Long> seatedReservationTicks = new ArrayList<>();
    private Game game;
    private RoomJournal journal;
    private Map<String, String> createOptions = Map.of();
    private long epoch = 1;
    private long restoredFromTick = RoomInfo.NOT_RESTORED;
    private int clientCount;
    private int nextPlayerId = 1;
    private long tick;
    private long emptyTicks;
    private int failedTicks;
    private boolean faulted;
    private boolean locked;
    private boolean hidden;

    /**
     * @param pinned a pinned room lives for the life of the shard; others are disposed when empty for their type's
     *               keep-alive.
     */
    Room(
        final String name, final GameType type, final boolean pinned, final ShardConfig config,
        final GameErrors errors, final ShardCounters counters, final ShardScratch scratch)
    {
        this.name = name;
        this.type = type;
        this.pinned = pinned;
        this.config = config;
        this.errors = errors;
        this.counters = counters;
        this.scratch = scratch;
        this.clients = new RoomClient[type.maxClients()];
        final EntitySchema schema = type.entitySchema();
        this.entities = new EntityTable(schema, type.maxEntities());
        this.world = new WorldHistory(schema.fieldCount(), config.historyWindowTicks());
        this.fanOut = new SnapshotFanOut(config, schema);
        if (fanOut.interestEnabled())
        {
            final FieldDef x = schema.field(schema.positionXField());
            final FieldDef y = schema.field(schema.positionYField());
            this.grid = new InterestGrid(x.min(), y.min(), x.max(), y.max(), fanOut.gridCellSize());
        }
        else
        {
            this.grid = null;
        }
        this.random = new RoomRandom(config.seed() * GOLDEN_GAMMA + name.hashCode());
        this.outbox = new RoomOutbox(this, scratch, counters, config);
        this.rewind = new RoomRewind(world, schema.fieldCount());
        this.keepAliveTicks = (type.emptyRoomKeepAlive().toNanos() + config.tickPeriodNs() - 1) /
            config.tickPeriodNs();
        this.resumeGraceTicks = config.resumeGraceTicks();
        this.checkpoints = new RoomCheckpoints(this, config, counters);
    }

    /**
     * Makes the room's game and calls its {@code onCreate}.
     *
     * @return false when the game could not be made or its {@code onCreate} threw; the room is then unusable, and a
     * game that was made gets {@code onDispose} to release what it took.
     */
    boolean create(final JoinOptions options)
    {
        if (options instanceof JoinOptionValues)
        {
            createOptions = ((JoinOptionValues)options).given();
        }
        try
        {
            game = type.newGame(this);
            game.onCreate(options);
        }
        catch (final Throwable ex)
        {
            errors.onGameError(this, "onCreate", ex);
            disposeFailedGame();
            return false;
        }
        openJournal();
        return true;
    }

    /**
     * Makes the room's game from a checkpoint, in the order the Game API promises: the platform state (tick, random
     * state, metadata, flags, next player id), the factory (not {@code onCreate}), every saved player seated and
     * detached (no {@code onJoin}; each waits {@code graceTicks} for its identity to join again, then leaves as
     * disconnected), {@code restore(state, version)}, then a capture of the restored tick.
     *
     * @return false when the state is unusable (a seat or metadata out of the limits, a version newer than the
     * game's) or the game's factory, {@code restore} or capture threw; the room is then unusable, and a game that was
     * made gets {@code onDispose}.
     */
    boolean restore(final RoomSnapshot snapshot, final long epoch, final long graceTicks)
    {
        try
        {
            restorePlatformState(snapshot, epoch);
            game = type.newGame(this);
            for (int i = 0; i < snapshot.seatCount(); i++)
            {
                restoreSeat(snapshot.seat(i), graceTicks);
            }
            game.restore(new ByteStateReader(snapshot.game(), 0, snapshot.gameLength()), snapshot.gameVersion());
            entities.clear();
            game.capture(entities);
            world.record(tick, entities);
            if (grid != null)
            {
                grid.rebuild(entities, type.entitySchema().positionXField(), type.entitySchema().positionYField());
            }
        }
        catch (final Throwable ex)
        {
            errors.onGameError(this, "restore", ex);
            disposeFailedGame();
            return false;
        }
        openJournal();
        return true;
    }

    private void restorePlatformState(final RoomSnapshot snapshot, final long epoch)
    {
        if (snapshot.gameVersion() < 1 || snapshot.gameVersion() > type.checkpointVersion())
        {
            throw new IllegalStateException("checkpoint version " + snapshot.gameVersion() + " of a game at version " +
                type.checkpointVersion());
        }
        if (snapshot.seatCount() > clients.length || snapshot.nextPlayerId() < 1 || snapshot.tick() < 0)
        {
            throw new IllegalStateException("checkpoint out of the room's limits");
        }
        this.epoch = epoch;
        restoredFromTick = snapshot.tick();
        tick = snapshot.tick();
        random.restoreState(snapshot.randomState());
        nextPlayerId = snapshot.nextPlayerId();
        createOptions = JoinOptionValues.of(type, snapshot.createOptions()).given();
        locked = snapshot.locked();
        hidden = snapshot.hidden();
        failedTicks = snapshot.failedTicks();
        emptyTicks = snapshot.emptyTicks();
        for (int i = 0; i < snapshot.metaCount(); i++)
        {
            metadata.put(snapshot.metaKeys()[i], snapshot.metaValues()[i]);
        }
    }

    private void restoreSeat(final SeatState seat, final long graceTicks)
    {
        if (seat.playerId() < 1 || seat.playerId() >= nextPlayerId || playerById(seat.playerId()) != null ||
            seat.name() == null)
        {
            throw new IllegalStateException("bad seat " + seat.playerId());
        }
        Utf8.checkedLength(seat.name(), 0, WireFormat.MAX_NAME_LENGTH);
        final RoomClient client = newClient(ClientLink.DETACHED, seat.playerId(), seat.name(), seat.identity(),
            JoinOptionValues.of(type, seat.options()));
        client.restoreDetached(seat.entityId(), seat.metaKeys(), seat.metaValues(), seat.metaCount(), tick,
            graceTicks);
        clients[clientCount++] = client;
    }

    /**
     * A game that failed to start gets {@code onDispose} to release what it took.
     */
    private void disposeFailedGame()
    {
        if (game != null)
        {
            try
            {
                game.onDispose();
            }
            catch (final Throwable disposeError)
            {
                errors.onGameError(this, "onDispose", disposeError);
            }
        }
    }

    private void openJournal()
    {
        final RoomJournal.Factory journals = config.journals();
        journal = journals == null ? null : journals.open(name, type.name(), config.tickRateHz(), tick);
    }

    public String name()
    {
        return name;
    }

    public String typeName()
    {
        return type.name();
    }

    public long tick()
    {
        return tick;
    }

    public int tickRateHz()
    {
        return config.tickRateHz();
    }

    public RoomRandom random()
    {
        return random;
    }

    public int playerCount()
    {
        return clientCount;
    }

    public Player player(final int index)
    {
        if (index < 0 || index >= clientCount)
        {
            throw new IndexOutOfBoundsException("player " + index + " of " + clientCount);
        }
        return clients[index];
    }

    public Player playerById(final int playerId)
    {
        for (int i = 0; i < clientCount; i++)
        {
            if (clients[i].id() == playerId)
            {
                return clients[i];
            }
        }
        return null;
    }

    public MessageWriter message(final MessageType messageType)
    {
        if (!messageType.equals(type.messageType(messageType.id())) || !messageType.direction().roomMaySend())
        {
            throw new IllegalArgumentException(
                "not a room-to-client message type of game " + type.name() + ": " + messageType.name());
        }
        return outbox.begin(messageType);
    }

    public void kick(final Player player, final String reason)
    {
        final RoomClient client = clientOf(player);
        if (client.state() != RoomClient.LEAVING)
        {
            client.markLeaving(LeaveReason.KICKED);
            counters.kicks.incrementAndGet();
            final String text = Notices.truncate(reason);
            sendNotice(client, Notice.CODE_KICKED, text);
            client.link.close(CloseCodes.KICKED, text);
        }
    }

    public void setLocked(final boolean locked)
    {
        this.locked = locked;
    }

    public boolean isLocked()
    {
        return locked;
    }

    public void setPrivate(final boolean hidden)
    {
        this.hidden = hidden;
    }

    public boolean isPrivate()
    {
        return hidden;
    }

    public void setMetadata(final String key, final String value)
    {
        metadata.put(key, value);
    }

    public String metadata(final String key)
    {
        return metadata.get(key);
    }

    public int rewindWindowTicks()
    {
        return world.depth() - 1;
    }

    public Rewind rewind(final long tickWanted)
    {
        return rewind.at(tickWanted);
    }

    GameType type()
    {
        return type;
    }

    /**
     * @return the room's ownership epoch: 1 when created here, the cluster's epoch when restored.
     */
    long epoch()
    {
        return epoch;
    }

    /**
     * @return the checkpoint tick the room was restored from, or {@link RoomInfo#NOT_RESTORED}.
     */
    long restoredFromTick()
    {
        return restoredFromTick;
    }

    /**
     * @return the room's checkpoint frames and schedule.
     */
    RoomCheckpoints checkpoints()
    {
        return checkpoints;
    }

    /**
     * @return the room's replay journal, or null when journaling is off.
     */
    RoomJournal journal()
    {
        return journal;
    }

    /**
     * Fills a checkpoint's platform state: references to immutable strings and maps, primitives; no allocation.
     * Every seated player is saved, a leaving one too: the game still counts it until its {@code onLeave}.
     */
    void fillSnapshot(final RoomSnapshot snapshot)
    {
        snapshot.header(name, type.name(), epoch, tick, random.state(), nextPlayerId, createOptions)
            .flags(pinned, locked, hidden, faulted, failedTicks, emptyTicks)
            .metadata(metadata.keys(), metadata.values(), metadata.count());
        snapshot.seatCount(clientCount);
        for (int i = 0; i < clientCount; i++)
        {
            final RoomClient client = clients[i];
            final Metadata presence = client.presenceMetadata();
            snapshot.seat(i).set(client.id(), client.entityId(), client.name(), client.identity(),
                client.options() instanceof JoinOptionValues ? ((JoinOptionValues)client.options()).given() : Map.of(),
                presence.keys(), presence.values(), presence.count());
        }
    }

    /**
     * The game's {@code save}, guarded.
     *
     * @return false when it threw (counted and reported).
     */
    boolean saveGame(final StateWriter out)
    {
        try
        {
            game.save(out);
            return true;
        }
        catch (final Throwable ex)
        {
            errors.onGameError(this, "save", ex);
            return false;
        }
    }

    /**
     * Records that a player took a seat with a matchmaker reservation, for the publications of the next
     * {@link #RESERVATION_LISTING_SECONDS} seconds of ticks. Cold (joins).
     */
    void onReservationSeated(final String reservationId)
    {
        if (reservationId != null)
        {
            seatedReservations.add(reservationId);
            seatedReservationTicks.add(tick);
        }
    }

    /**
     * A reservation stays listed for a while rather than in one publication only: the reader (the cluster's sync)
     * polls on its own period and must not miss it; removing it twice is harmless. Cold (publications).
     *
     * @return the reservations seated in the last {@link #RESERVATION_LISTING_SECONDS} seconds of ticks.
     */
    List<String> recentSeatedReservations()
    {
        final long oldestTick = tick - (long)RESERVATION_LISTING_SECONDS * config.tickRateHz();
        while (!seatedReservationTicks.isEmpty() && seatedReservationTicks.get(0) < oldestTick)
        {
            seatedReservationTicks.remove(0);
            seatedReservations.remove(0);
        }
        return seatedReservations.isEmpty() ? List.of() : List.copyOf(seatedReservations);
    }

    boolean isPinned()
    {
        return pinned;
    }

    /**
     * @return true when a join may take a seat: the room is not locked and not full.
     */
    boolean hasSpace()
    {
        return clientCount < clients.length;
    }

    /**
     * @return true when an "any room" join may pick this room: public, unlocked, with space.
     */
    boolean isOpen()
    {
        return !hidden && !locked && hasSpace();
    }

    int clientCount()
    {
        return clientCount;
    }

    RoomClient client(final int index)
    {
        return clients[index];
    }

    EntityTable entities()
    {
        return entities;
    }

    WorldHistory world()
    {
        return world;
    }

    InterestGrid grid()
    {
        return grid;
    }

    SnapshotFanOut fanOut()
    {
        return fanOut;
    }

    boolean isFaulted()
    {
        return faulted;
    }

    /**
     * @return the ticks in a row whose step or capture failed, up to the last one run; 0 after a tick that
     * succeeded.
     */
    int failedTicks()
    {
        return failedTicks;
    }

    /**
     * @return the row of entity {@code id} in the table captured at the last tick, or a negative number.
     */
    int rowOf(final int id)
    {
        return id < 0 ? -1 : entities.indexOf(id);
    }

    /**
     * @return a copy of the room's metadata, in insertion order; allocates, for the once-a-second publication and
     * for welcomes.
     */
    Map<String, String> metadataCopy()
    {
        if (metadata.count() == 0)
        {
            return Map.of();
        }
        final Map<String, String> copy = new LinkedHashMap<>();
        for (int i = 0; i < metadata.count(); i++)
        {
            copy.put(metadata.keys()[i], metadata.values()[i]);
        }
        return copy;
    }

    /**
     * @return the client behind a player handle of this room.
     * @throws IllegalArgumentException when the handle is not of a player in this room.
     */
    RoomClient clientOf(final Player player)
    {
        if (player instanceof RoomClient && ((RoomClient)player).room == this && ((RoomClient)player).isSeated())
        {
            return (RoomClient)player;
        }
        throw new IllegalArgumentException("not a player of room " + name + ": " + player);
    }

    /**
     * @return a client asking to join, not yet seated: the handle the game's {@code onJoinRequest} sees.
     */
    RoomClient newClient(
        final ClientLink link, final String playerName, final Identity identity, final JoinOptions options)
    {
        return newClient(link, nextPlayerId++, playerName, identity, options);
    }

    private RoomClient newClient(
        final ClientLink link, final int playerId, final String playerName, final Identity identity,
        final JoinOptions options)
    {
        return new RoomClient(
            link, this, playerId, playerName, identity, options, type.inputSchema().fieldCount(),
            config.pendingInputCapacity(), world.depth(),
            fanOut.interestEnabled() ? config.maxEntitiesPerSnapshot() : type.maxEntities(),
            config.maxUnackedMessages(), config.resumeEnabled());
    }

    /**
     * @return the seated player, connected or detached, whose identity has {@code subject}, or null.
     */
    RoomClient clientWithSubject(final String subject)
    {
        for (int i = 0; i < clientCount; i++)
        {
            final Identity identity = clients[i].identity();
            if (identity != null && identity.subject().equals(subject) && clients[i].isJoined())
            {
                return clients[i];
            }
        }
        return null;
    }

    /**
     * Seats an accepted client in the JOINING state and tells the others it joined. The caller checked
     * {@link #hasSpace()}.
     */
    void seat(final RoomClient client)
    {
        clients[clientCount++] = client;
        client.onSeated();
        emptyTicks = 0;
        outbox.onSeated(client);
    }

    /**
     * Asks the game whether the client may join.
     *
     * @return null when accepted, else the reason to give the client.
     */
    String askJoin(final RoomClient client, final JoinOptions options)
    {
        final JoinDecision decision = game.onJoinRequest(client, options);
        if (decision == null)
        {
            throw new IllegalStateException("onJoinRequest returned null");
        }
        return decision.reason();
    }

    void onJoin(final RoomClient client)
    {
        if (journal != null)
        {
            journal.onJoin(tick, client.id(), client.identity(), client.name(), client.options());
        }
        game.onJoin(client);
    }

    /**
     * Sends the joined client its presence list and the messages that waited for it.
     *
     * @return the number of players in the list.
     */
    int sendPresenceList(final RoomClient client)
    {
        return outbox.sendPresenceList(client);
    }

    /**
     * Sends the presence events batched since the last flush to every welcomed client.
     */
    void flushPresence()
    {
        outbox.flushPresence();
    }

    /**
     * Resume: sends the client again the stream messages it has not acknowledged.
     */
    void resendUnacked(final RoomClient client)
    {
        outbox.resendUnacked(client);
    }

    /**
     * Replace: the room messages the old connection left unacknowledged, copied, in order.
     */
    List<byte[]> unackedRoomMessages(final RoomClient client)
    {
        return outbox.unackedRoomMessages(client);
    }

    /**
     * Replace: delivers {@code messages} to the new connection, in its new stream.
     */
    void redeliver(final RoomClient client, final List<byte[]> messages)
    {
        outbox.redeliver(client, messages);
    }

    void completeWelcome(final RoomClient client)
    {
        client.onWelcomed();
        outbox.flushDeferred(client);
    }

    /**
     * Removes a client: tells the game (unless it never joined) and every other client, and drops it.
     *
     * @param toldGame whether the game saw {@code onJoin} for this client and must see {@code onLeave}.
     */
    void remove(final RoomClient client, final LeaveReason reason, final boolean toldGame)
    {
        for (int i = 0; i < clientCount; i++)
        {
            if (clients[i] == client)
            {
                System.arraycopy(clients, i + 1, clients, i, clientCount - i - 1);
                clients[--clientCount] = null;
                client.markLeaving(reason);
                outbox.onLeft(client, reason);
                if (toldGame)
                {
                    if (journal != null)
                    {
                        journal.onLeave(tick, client.id(), reason);
                    }
                    try
                    {
                        game.onLeave(client, reason);
                    }
                    catch (final Throwable ex)
                    {
                        errors.onGameError(this, "onLeave", ex);
                    }
                }
                counters.inputsDiscarded.addAndGet(client.pendingInputCount());
                client.onRemoved();
                return;
            }
        }
    }

    /**
     * Removes every client that is leaving (kicked, over its message backlog), whose link closed (unless it keeps
     * its seat for a resume), or whose seat grace is over.
     *
     * @return the clients removed; the caller forgets their sessions.
     */
    int removeLeavers(final ShardClients sessions)
    {
        int removed = 0;
        for (int i = clientCount - 1; i >= 0; i--)
        {
            final RoomClient client = clients[i];
            if (client.state() == RoomClient.LEAVING)
            {
                sessions.forget(client);
                remove(client, client.leaveReason(), true);
                removed++;
            }
            else if (client.isGraceOver(tick))
            {
                counters.seatsExpired.incrementAndGet();
                sessions.forget(client);
                remove(client, client.detachReason(), true);
                removed++;
            }
            else if (!client.isDetached() && !client.link.isOpen() &&
                !onLinkClosed(client, client.link.closeReason(), sessions))
            {
                removed++;
            }
        }
        return removed;
    }

    /**
     * A client's link closed without a leave: a joined player keeps its seat for a resume when resume is on (the
     * game sees nothing), otherwise it leaves for {@code reason}. A held seat stays found by its old session until a
     * resume takes it: the link may be seen closed before the last events it sent (a LEAVE, inputs) are drained, and
     * those still count.
     *
     * @return true when the player keeps its seat.
     */
    boolean onLinkClosed(final RoomClient client, final LeaveReason reason, final ShardClients sessions)
    {
        if (resumeGraceTicks > 0 && client.isJoined() && client.link.mayResume())
        {
            if (!client.isDetached())
            {
                counters.seatsHeld.incrementAndGet();
                client.detach(tick, reason, resumeGraceTicks);
            }
            return true;
        }
        sessions.forget(client);
        remove(client, client.state() == RoomClient.LEAVING ? client.leaveReason() : reason, true);
        return false;
    }

    /**
     * Hands a client's message to the game.
     */
    void onMessage(final RoomClient client, final Message message)
    {
        try
        {
            game.onMessage(client, message);
        }
        catch (final Throwable ex)
        {
            errors.onGameError(this, "onMessage", ex);
        }
    }

    /**
     * Runs one tick: {@link #beginTick()}, each client's pending inputs ({@link #applyInputs(int)}), then
     * {@link #stepAndCapture()}. The shard and the offline replayer run the same three steps.
     *
     * @return the number of inputs applied.
     */
    int step(final int maxInputsPerClient)
    {
        beginTick();
        final int applied = applyInputs(maxInputsPerClient);
        stepAndCapture();
        return applied;
    }

    /**
     * Starts the next tick: {@link #tick()} is the tick being run from the first input on.
     */
    void beginTick()
    {
        tick++;
    }

    /**
     * Applies each joined client's pending inputs, at most {@code maxInputsPerClient} each, in seat order.
     *
     * @return the number of inputs applied.
     */
    int applyInputs(final int maxInputsPerClient)
    {
        int applied = 0;
        for (int i = 0; i < clientCount; i++)
        {
            final RoomClient client = clients[i];
            for (int n = 0; n < maxInputsPerClient && client.hasPendingInput() && client.isJoined(); n++)
            {
                client.takeInput(input);
                applyInput(client, input);
                applied++;
            }
        }
        return applied;
    }

    /**
     * Hands one input of {@code client}, already taken ({@link RoomClient#takeInput}), to the game. An input whose
     * callback throws is still consumed: it is applied exactly once, by the game's own rule of what that means.
     */
    void applyInput(final RoomClient client, final RoomInput input)
    {
        if (journal != null)
        {
            journal.onInput(tick, client.id(), input.seq(), input.viewTick(), input.values(), input.offset(),
                input.fieldCount());
        }
        try
        {
            game.onInput(client, input);
        }
        catch (final Throwable ex)
        {
            errors.onGameError(this, "onInput", ex);
        }
    }

    /**
     * Ends the tick: the game's step, then the capture of the entity table into the history and the interest grid.
     * A step or capture that throws leaves the room faulted for this tick.
     */
    void stepAndCapture()
    {
        emptyTicks = clientCount == 0 ? emptyTicks + 1 : 0;
        try
        {
            faulted = true;
            game.step(tick);
            entities.clear();
            game.capture(entities);
            world.record(tick, entities);
            if (grid != null)
            {
                grid.rebuild(entities, type.entitySchema().positionXField(), type.entitySchema().positionYField());
            }
            faulted = false;
            failedTicks = 0;
        }
        catch (final Throwable ex)
        {
            failedTicks++;
            errors.onGameError(this, "step", ex);
        }
        if (journal != null && !faulted)
        {
            journal.onTick(tick, entities.viewChecksum(scratch.worldChecksum));
        }
    }

    /**
     * @return true when the room should be disposed: not pinned, and empty for longer than its keep-alive.
     */
    boolean isExpired()
    {
        return !pinned && clientCount == 0 && emptyTicks > keepAliveTicks;
    }

    /**
     * Closes the room: every client leaves for {@code reason} (its link is closed with {@code closeCode} and
     * {@code text}, after a NOTICE ROOM_CLOSED with the same text when the reason is
     * {@link LeaveReason#ROOM_CLOSED}, or NOTICE {@link Notice#CODE_SERVER_DRAINING} with {@code reconnectDelayMs}
     * when it is {@link LeaveReason#SERVER_SHUTDOWN}), then the game is disposed.
     */
    void dispose(
        final LeaveReason reason, final int closeCode, final String text, final int reconnectDelayMs,
        final ShardClients sessions)
    {
        for (int i = clientCount - 1; i >= 0; i--)
        {
            final RoomClient client = clients[i];
            sessions.forget(client);
            if (reason == LeaveReason.ROOM_CLOSED)
            {
                sendNotice(client, Notice.CODE_ROOM_CLOSED, text);
            }
            else if (reason == LeaveReason.SERVER_SHUTDOWN)
            {
                sendNotice(client, Notice.CODE_SERVER_DRAINING, reconnectDelayMs, text);
            }
            client.link.close(closeCode, text);
            remove(client, client.state() == RoomClient.LEAVING ? client.leaveReason() : reason, true);
        }
        try
        {
            if (game != null)
            {
                game.onDispose();
            }
        }
        catch (final Throwable ex)
        {
            errors.onGameError(this, "onDispose", ex);
        }
        if (journal != null)
        {
            journal.onClose(tick);
        }
    }

    void sendNotice(final RoomClient client, final int code, final String text)
    {
        sendNotice(client, code, 0, text);
    }

    void sendNotice(final RoomClient client, final int code, final int detail, final String text)
    {
        final int length = scratch.controlCodec.encode(new Notice(code, detail, text), scratch.controlBuffer, 0);
        client.link.sendControl(scratch.controlBuffer, 0, length);
    }

    void onPresenceChanged(final RoomClient client)
    {
        if (client.state() == RoomClient.JOINING || client.state() == RoomClient.JOINED)
        {
            outbox.onChanged(client);
        }
        else if (client.state() == RoomClient.GONE)
        {
            throw new IllegalStateException("player " + client.id() + " has left");
        }
    }
}
