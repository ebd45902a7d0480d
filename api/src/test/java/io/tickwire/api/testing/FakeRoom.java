package io.tickwire.api.testing;

import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.MessageWriter;
import io.tickwire.api.Player;
import io.tickwire.api.Rewind;
import io.tickwire.api.RoomContext;
import io.tickwire.api.RoomRandom;
import io.tickwire.api.StateReader;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A room driven by hand, for a game's unit tests: it makes the game with its type's factory, calls
 * {@code onCreate}, and then runs the lifecycle the way the server does, one call at a time.
 * <pre>
 *   FakeRoom room = new FakeRoom(type);             // factory + onCreate(every option at its default)
 *   FakePlayer p = room.join("ann", Map.of());       // onJoinRequest, then onJoin; null when refused
 *   room.input(p, viewTick, moveX, moveY, buttons);  // queued: checked against the input schema
 *   FakeEntityWriter state = room.runTick();        // kicks -> onLeave, onInput per queued input, step, capture
 *   room.send(p, chatType, 0, "hi");                 // onMessage, between ticks
 *   room.sent("chat");                               // what the game sent, with recipients
 * </pre>
 * Checkpoints, the way the server restores a room (constructor, seats, restore; no {@code onCreate}, no
 * {@code onJoin}):
 * <pre>
 *   room.game().save(out); long tick = room.tick(), randomState = room.random().state();  // plus each player's
 *                                                                                       // id, name, entity id
 *   FakeRoom copy = FakeRoom.forRestore(type, name, tickRateHz, seed, rewindWindowTicks);
 *   copy.seat(id, "ann", null, Map.of(), entityId, metadata);                        // per saved player
 *   copy.restore(in, type.checkpointVersion(), tick, randomState);                    // then runTick() on
 * </pre>
 * It holds a game to the contract: inputs, messages, join options and every value the game writes (captures,
 * messages, metadata) are checked as the server checks them, and a player handle used after its {@code onLeave}
 * fails. The rewind is honest: it reaches {@link #rewindWindowTicks()} captures back, clamps a tick outside them,
 * finds only entities that still exist, and records every tick asked for.
 * <p>
 * Order choices where the contract leaves room: a joining player is in {@link #player(int)} from just before
 * {@code onJoin} (not during {@code onJoinRequest}); a leaving player is removed just before {@code onLeave}. Client
 * message rate limits are not enforced. Exceptions from the game propagate (the server would count them).
 */
public final class FakeRoom implements RoomContext
{
    public static final String DEFAULT_NAME = "test";
    public static final int DEFAULT_TICK_RATE_HZ = 30;
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_REWIND_WINDOW_TICKS = 31;

    /**
     * A kick the game asked for.
     */
    public record Kick(int playerId, String reason)
    {
    }

    private record PendingInput(FakePlayer player, FakeInput input)
    {
    }

    private final GameType type;
    private final String name;
    private final int tickRateHz;
    private final RoomRandom random;
    private final int rewindWindowTicks;
    private final Game game;
    private final FakeEntityWriter[] history;
    private final FakeRewind rewind = new FakeRewind();
    private final Writer writer = new Writer();
    private final List<FakePlayer> players = new ArrayList<>();
    private final List<PendingInput> pendingInputs = new ArrayList<>();
    private final List<FakePlayer> pendingKicks = new ArrayList<>();
    private final List<Kick> kicks = new ArrayList<>();
    private final List<SentMessage> sent = new ArrayList<>();
    private final List<String> presenceEvents = new ArrayList<>();
    private final List<Long> rewindRequests = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private FakeEntityWriter newest;
    private long tick;
    private int nextPlayerId = 1;
    private boolean locked;
    private boolean hidden;
    private boolean disposed;
    private String lastRefusal;

    /**
     * A room named {@value #DEFAULT_NAME} at {@value #DEFAULT_TICK_RATE_HZ} Hz, seed {@value #DEFAULT_SEED}, a rewind
     * window of {@value #DEFAULT_REWIND_WINDOW_TICKS} ticks, created with every option at its default.
     */
    public FakeRoom(final GameType type)
    {
        this(type, Map.of());
    }

    /**
     * As {@link #FakeRoom(GameType)}, created by a join with {@code creatorOptions}.
     */
    public FakeRoom(final GameType type, final Map<String, String> creatorOptions)
    {
        this(type, DEFAULT_NAME, DEFAULT_TICK_RATE_HZ, DEFAULT_SEED, DEFAULT_REWIND_WINDOW_TICKS, creatorOptions);
    }

    public FakeRoom(
        final GameType type,
        final String name,
        final int tickRateHz,
        final long seed,
        final int rewindWindowTicks,
        final Map<String, String> creatorOptions)
    {
        this(type, name, tickRateHz, seed, rewindWindowTicks, creatorOptions, true);
    }

    private FakeRoom(
        final GameType type,
        final String name,
        final int tickRateHz,
        final long seed,
        final int rewindWindowTicks,
        final Map<String, String> creatorOptions,
        final boolean create)
    {
        if (rewindWindowTicks < 1)
        {
            throw new IllegalArgumentException("rewindWindowTicks must be 1 or more");
        }
        this.type = type;
        this.name = name;
        this.tickRateHz = tickRateHz;
        this.random = new RoomRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        this.rewindWindowTicks = rewindWindowTicks;
        this.history = new FakeEntityWriter[rewindWindowTicks + 1];
        final FakeJoinOptions options = new FakeJoinOptions(type, creatorOptions);
        this.game = type.newGame(this);
        if (create)
        {
            game.onCreate(options);
        }
    }

    /**
     * A room to restore a checkpoint into, as the server makes one: the type's factory makes the game and
     * {@code onCreate} is not called. Seat the saved players with {@link #seat}, then call {@link #restore}; until
     * then the game must not be run. With the name, rate, seed and window of the room that saved, the room's
     * generator starts where the saved room's did; {@link #restore} puts it at the saved state.
     */
    public static FakeRoom forRestore(
        final GameType type, final String name, final int tickRateHz, final long seed, final int rewindWindowTicks)
    {
        return new FakeRoom(type, name, tickRateHz, seed, rewindWindowTicks, Map.of(), false);
    }

    /**
     * Seats a player of a checkpoint, with its id, entity id and metadata, as the server does before a restore: no
     * {@code onJoinRequest}, no {@code onJoin}, and no presence event. Later joins get ids above every seated one.
     *
     * @param entityId the entity id the player had ({@link Player#NO_ENTITY} for none).
     * @param metadata the player's metadata when saved ({@link FakePlayer#metadataMap()}), kept by the server.
     * @throws IllegalStateException after {@link #restore} or a tick, or when the id is taken.
     */
    public FakePlayer seat(
        final int playerId,
        final String playerName,
        final Identity identity,
        final Map<String, String> options,
        final int entityId,
        final Map<String, String> metadata)
    {
        requireOpen();
        if (tick != 0 || newest != null || playerById(playerId) != null || playerId < 1)
        {
            throw new IllegalStateException("seat before restore, with a free id above 0: " + playerId);
        }
        TextRules.require("player name", playerName, 32);
        final FakePlayer player = new FakePlayer(this, playerId, playerName, identity,
            new FakeJoinOptions(type, options));
        player.seat(entityId, metadata);
        int index = 0;
        while (index < players.size() && players.get(index).id() < playerId)
        {
            index++;
        }
        players.add(index, player);
        nextPlayerId = Math.max(nextPlayerId, playerId + 1);
        return player;
    }

    /**
     * Restores the game's state as the server does: the room's tick and generator go back to the saved ones, then
     * {@code restore(in, version)}, which must read every byte of the state; then the room captures the restored
     * world at {@code tick}, which is the oldest tick a {@link #rewind(long)} reaches until the history refills.
     *
     * @throws IllegalStateException when the game leaves bytes unread (or throws it itself on a short state).
     */
    public FakeEntityWriter restore(
        final StateReader in, final int version, final long savedTick, final long randomState)
    {
        requireOpen();
        if (tick != 0 || newest != null || savedTick < 1)
        {
            throw new IllegalStateException("restore once, into a room not yet run, at a tick of 1 or more");
        }
        tick = savedTick;
        random.restoreState(randomState);
        game.restore(in, version);
        if (in.remaining() != 0)
        {
            throw new IllegalStateException("restore left " + in.remaining() + " bytes unread");
        }
        return captureTick();
    }

    /** Captures the world at the current tick, as the server does after each tick, into the rewind history. */
    private FakeEntityWriter captureTick()
    {
        final FakeEntityWriter capture = new FakeEntityWriter(type.entitySchema(), type.maxEntities(), tick);
        game.capture(capture);
        capture.requireComplete();
        history[(int)(tick % history.length)] = capture;
        newest = capture;
        return capture;
    }

    public Game game()
    {
        return game;
    }

    public GameType type()
    {
        return type;
    }

    /**
     * A client joins: the server's own checks (locked, full, options), then {@code onJoinRequest} and, when
     * accepted, {@code onJoin}.
     *
     * @return the player, or null when the join was refused; {@link #lastRefusal()} then says why.
     * @throws IllegalArgumentException when an option is undeclared or invalid (the server refuses it unseen).
     */
    public FakePlayer join(final String playerName, final Map<String, String> options)
    {
        return join(playerName, null, options);
    }

    /**
     * Joins a player the server authenticated: the game sees {@code identity} as {@link Player#identity()}.
     *
     * @return the player, or null when the room, or the game, refused it ({@link #lastRefusal()} says why).
     */
    public FakePlayer join(final String playerName, final Identity identity, final Map<String, String> options)
    {
        requireOpen();
        TextRules.require("player name", playerName, 32);
        final FakeJoinOptions joinOptions = new FakeJoinOptions(type, options);
        if (locked || players.size() >= type.maxClients())
        {
            lastRefusal = locked ? "room locked" : "room full";
            return null;
        }
        final FakePlayer player = new FakePlayer(this, nextPlayerId++, playerName, identity, joinOptions);
        final JoinDecision decision = game.onJoinRequest(player, joinOptions);
        if (!decision.isAccepted())
        {
            lastRefusal = decision.reason();
            return null;
        }
        lastRefusal = null;
        players.add(player);
        presence("join " + player.id());
        game.onJoin(player);
        return player;
    }

    public FakePlayer join(final String playerName)
    {
        return join(playerName, Map.of());
    }

    /**
     * @return the reason of the last refused join, or null when the last join was accepted.
     */
    public String lastRefusal()
    {
        return lastRefusal;
    }

    /**
     * The player leaves: removed from the room, then {@code onLeave}; the handle is dead afterwards.
     */
    public void leave(final FakePlayer player, final LeaveReason reason)
    {
        requireOpen();
        if (!remove(player))
        {
            throw new IllegalArgumentException(player + " is not in the room");
        }
        presence("leave " + player.id() + " " + reason);
        game.onLeave(player, reason);
        player.markGone();
    }

    /**
     * Queues an input for the next {@link #runTick()}, with the player's next input sequence.
     *
     * @throws IllegalArgumentException when the values break the input schema (the server would close with 1002).
     */
    public void input(final FakePlayer player, final long viewTick, final int... values)
    {
        requireOpen();
        pendingInputs.add(new PendingInput(player, new FakeInput(type.inputSchema(), player.claimInputSeq(),
            viewTick, values)));
    }

    /**
     * A client message, delivered now (between ticks).
     *
     * @param values {@link Integer}, {@link String} or {@code byte[]} per field.
     * @throws IllegalArgumentException when the type is not the game's, clients may not send it, or a value is
     *                                  invalid.
     */
    public void send(final FakePlayer player, final MessageType messageType, final Object... values)
    {
        requireOpen();
        if (type.messageType(messageType.id()) != messageType || !messageType.direction().clientMaySend())
        {
            throw new IllegalArgumentException("clients may not send " + messageType.name());
        }
        if (!players.contains(player))
        {
            throw new IllegalArgumentException(player + " is not in the room");
        }
        game.onMessage(player, new FakeMessage(messageType, values));
    }

    /**
     * Runs one tick: pending kicks leave, then each queued input of a present player ({@code onInput}), then
     * {@code step} and {@code capture}, checked.
     *
     * @return the capture of the tick.
     */
    public FakeEntityWriter runTick()
    {
        requireOpen();
        for (final FakePlayer kicked : new ArrayList<>(pendingKicks))
        {
            if (players.contains(kicked))
            {
                leave(kicked, LeaveReason.KICKED);
            }
        }
        pendingKicks.clear();
        tick++;
        for (final PendingInput pending : new ArrayList<>(pendingInputs))
        {
            if (players.contains(pending.player()))
            {
                pending.player().applied(pending.input());
                game.onInput(pending.player(), pending.input());
            }
        }
        pendingInputs.clear();
        game.step(tick);
        return captureTick();
    }

    /**
     * Runs {@code ticks} ticks.
     *
     * @return the capture of the last.
     */
    public FakeEntityWriter runTicks(final int ticks)
    {
        FakeEntityWriter capture = newest;
        for (int i = 0; i < ticks; i++)
        {
            capture = runTick();
        }
        return capture;
    }

    /**
     * Every player leaves with {@code reason}, then {@code onDispose}; the room is closed afterwards.
     */
    public void dispose(final LeaveReason reason)
    {
        for (final FakePlayer player : new ArrayList<>(players))
        {
            leave(player, reason);
        }
        game.onDispose();
        disposed = true;
    }

    /**
     * @return the newest capture, or null before the first tick.
     */
    public FakeEntityWriter lastCapture()
    {
        return newest;
    }

    public List<SentMessage> sent()
    {
        return List.copyOf(sent);
    }

    /**
     * @return the messages of type {@code typeName} sent so far, in order.
     */
    public List<SentMessage> sent(final String typeName)
    {
        final List<SentMessage> matching = new ArrayList<>();
        for (final SentMessage message : sent)
        {
            if (message.typeName().equals(typeName))
            {
                matching.add(message);
            }
        }
        return matching;
    }

    public void clearSent()
    {
        sent.clear();
    }

    public List<Kick> kicks()
    {
        return List.copyOf(kicks);
    }

    /**
     * @return presence changes in order: {@code "join ID"}, {@code "leave ID REASON"}, {@code "entity ID ENTITY"},
     * {@code "update ID key=value"}.
     */
    public List<String> presenceEvents()
    {
        return List.copyOf(presenceEvents);
    }

    /**
     * @return every tick the game passed to {@link #rewind(long)}, in order.
     */
    public List<Long> rewindRequests()
    {
        return List.copyOf(rewindRequests);
    }

    /**
     * @return the players in the room, in {@link #player(int)} order.
     */
    public List<FakePlayer> players()
    {
        return List.copyOf(players);
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
        return tickRateHz;
    }

    public RoomRandom random()
    {
        return random;
    }

    public int playerCount()
    {
        return players.size();
    }

    public Player player(final int index)
    {
        return players.get(index);
    }

    public Player playerById(final int playerId)
    {
        for (final FakePlayer player : players)
        {
            if (player.id() == playerId)
            {
                return player;
            }
        }
        return null;
    }

    public MessageWriter message(final MessageType messageType)
    {
        if (type.messageType(messageType.id()) != messageType || !messageType.direction().roomMaySend())
        {
            throw new IllegalArgumentException("the room may not send " + messageType.name());
        }
        return writer.begin(messageType);
    }

    public void kick(final Player player, final String reason)
    {
        TextRules.require("kick reason", reason, 128);
        kicks.add(new Kick(player.id(), reason));
        pendingKicks.add(requirePresent(player));
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
        TextRules.require("room metadata key", key, MAX_METADATA_KEY_LENGTH);
        if (value == null)
        {
            metadata.remove(key);
            return;
        }
        TextRules.require("room metadata " + key, value, MAX_METADATA_VALUE_LENGTH);
        if (key.isEmpty() || (!metadata.containsKey(key) && metadata.size() == MAX_METADATA_ENTRIES))
        {
            throw new IllegalArgumentException("empty key or more than " + MAX_METADATA_ENTRIES + " entries");
        }
        metadata.put(key, value);
    }

    public String metadata(final String key)
    {
        return metadata.get(key);
    }

    /**
     * @return a copy of the room's metadata, in insertion order.
     */
    public Map<String, String> metadataMap()
    {
        return new LinkedHashMap<>(metadata);
    }

    public int rewindWindowTicks()
    {
        return rewindWindowTicks;
    }

    public Rewind rewind(final long pastTick)
    {
        rewindRequests.add(pastTick);
        if (newest == null)
        {
            return rewind.wrap(null, null, 0);
        }
        final long oldest = Math.max(1, newest.tick() - rewindWindowTicks);
        final long clamped = Math.max(oldest, Math.min(pastTick, newest.tick()));
        return rewind.wrap(history[(int)(clamped % history.length)], newest, clamped);
    }

    void presence(final String event)
    {
        presenceEvents.add(event);
    }

    private boolean remove(final FakePlayer player)
    {
        final int index = players.indexOf(player);
        if (index < 0)
        {
            return false;
        }
        players.remove(index);
        return true;
    }

    private FakePlayer requirePresent(final Player player)
    {
        final int index = players.indexOf(player);
        if (index < 0)
        {
            throw new IllegalArgumentException(player + " is not in the room");
        }
        return players.get(index);
    }

    private List<Integer> idsOf(final Player excluded)
    {
        final List<Integer> ids = new ArrayList<>();
        for (final FakePlayer player : players)
        {
            if (player != excluded)
            {
                ids.add(player.id());
            }
        }
        return ids;
    }

    private void requireOpen()
    {
        if (disposed)
        {
            throw new IllegalStateException("room disposed");
        }
    }

    private final class Writer implements MessageWriter
    {
        private MessageType messageType;
        private Object[] values;

        Writer begin(final MessageType messageType)
        {
            this.messageType = messageType;
            values = new Object[messageType.fieldCount()];
            for (int i = 0; i < values.length; i++)
            {
                final FieldDef field = messageType.field(i);
                values[i] = field.type().isNumeric() ? (Object)field.min() :
                    field.type() == FieldType.TEXT ? "" : new byte[0];
            }
            return this;
        }

        public MessageWriter putInt(final int field, final int value)
        {
            values[field] = FakeMessage.check(requireKind(field, true), value);
            return this;
        }

        public MessageWriter putText(final int field, final CharSequence text)
        {
            values[field] = FakeMessage.check(requireKind(field, false), text == null ? null : text.toString());
            return this;
        }

        public MessageWriter putBytes(final int field, final byte[] source, final int offset, final int length)
        {
            values[field] = FakeMessage.check(requireKind(field, false), Arrays.copyOfRange(source, offset,
                offset + length));
            return this;
        }

        public MessageWriter send(final Player player)
        {
            return record(List.of(requirePresent(player).id()));
        }

        public MessageWriter broadcast()
        {
            return record(idsOf(null));
        }

        public MessageWriter broadcastExcept(final Player excluded)
        {
            return record(idsOf(excluded));
        }

        private FieldDef requireKind(final int field, final boolean numeric)
        {
            if (messageType == null || field < 0 || field >= values.length ||
                messageType.field(field).type().isNumeric() != numeric)
            {
                throw new IllegalArgumentException("no " + (numeric ? "numeric" : "text/bytes") + " field " + field);
            }
            return messageType.field(field);
        }

        private MessageWriter record(final List<Integer> recipients)
        {
            if (messageType == null)
            {
                throw new IllegalStateException("no message begun");
            }
            sent.add(new SentMessage(messageType, tick, List.copyOf(recipients), List.of(values.clone())));
            return this;
        }
    }
}
