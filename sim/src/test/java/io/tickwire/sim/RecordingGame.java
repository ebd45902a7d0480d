package io.tickwire.sim;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Input;
import io.tickwire.api.JoinDecision;
import io.tickwire.api.JoinOption;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Message;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.api.StateReader;
import io.tickwire.api.StateWriter;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A game that records every callback, for tests of the shard loop: each player gets an avatar whose id is
 * {@code 100 + playerId}, placed at (id, id) unless a test moves it. Tests hook callbacks to throw, refuse, send
 * messages or kick.
 */
final class RecordingGame implements Game
{
    static final EntitySchema SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 10_000, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_X),
        FieldDef.fixed("y", 0, 10_000, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_Y),
        FieldDef.uint("hp", 255)));

    static final InputSchema INPUTS = new InputSchema(List.of(
        FieldDef.integer("dx", -10, 10),
        FieldDef.uint("fire", 1)));

    /** Clients send it; the game echoes it to everyone as {@link #ECHO}. */
    static final MessageType SAY = MessageType.fromClients(1, "say", 100, 100, FieldDef.text("text", 32));
    static final MessageType ECHO = MessageType.toClients(2, "echo",
        FieldDef.uint("from", 1000), FieldDef.text("text", 32));

    static final JoinOption TEAM = JoinOption.integer("team", 0, 1, 0);

    /** Every game made, by room name. */
    final Map<String, RecordingGame> games;
    final RoomContext room;
    final List<String> calls = new ArrayList<>();
    final TreeMap<Integer, int[]> avatars = new TreeMap<>();
    long steps;
    long lastTick;
    boolean failNextStep;
    /** The next capture throws after writing its first entity, leaving the table half written. */
    boolean failNextCapture;
    /** Called at dispose, after it is recorded. */
    Runnable onDispose = () ->
    {
    };
    /** Runs at each step: lets a test make a step take time on its fake clock, or send messages. */
    Runnable onStep = () ->
    {
    };
    BiFunction<Player, JoinOptions, JoinDecision> onJoinRequest = (player, options) -> JoinDecision.ACCEPT;
    Consumer<Player> onJoin = player ->
    {
    };
    BiConsumer<Player, Input> onInput = (player, input) ->
    {
    };
    /** Runs at each message, after it is recorded; by default echoes it to everyone. */
    BiConsumer<Player, Message> onMessage = this::echo;
    Consumer<JoinOptions> onCreate = options ->
    {
    };
    BiConsumer<Player, LeaveReason> onLeave = (player, reason) ->
    {
    };
    /** Runs at the end of a restore: lets a test make it throw or change what was restored. */
    Consumer<StateReader> onRestore = in ->
    {
    };

    RecordingGame(final RoomContext room, final Map<String, RecordingGame> games)
    {
        this.room = room;
        this.games = games;
        games.put(room.name(), this);
    }

    /**
     * @return a room type of this game; every game it makes is put in {@code games}.
     */
    static GameType type(
        final String name, final int maxClients, final Duration keepAlive, final boolean clientsMayCreateRooms,
        final int maxRooms, final Map<String, RecordingGame> games)
    {
        return builder(name, maxClients, keepAlive, clientsMayCreateRooms, maxRooms, games).build();
    }

    /**
     * @return a type of this game with checkpoints (version 1): its save writes its steps and avatars.
     */
    static GameType checkpointedType(final String name, final int maxClients, final Map<String, RecordingGame> games)
    {
        return checkpointedType(name, maxClients, games, game ->
        {
        });
    }

    /**
     * @param onMade runs on each game the factory makes, before the server calls it: to hook a restore.
     */
    static GameType checkpointedType(
        final String name, final int maxClients, final Map<String, RecordingGame> games,
        final Consumer<RecordingGame> onMade)
    {
        return builder(name, maxClients, Duration.ZERO, true, 1000, games)
            .factory(room ->
            {
                final RecordingGame game = new RecordingGame(room, games);
                onMade.accept(game);
                return game;
            })
            .checkpointVersion(1)
            .build();
    }

    private static GameType.Builder builder(
        final String name, final int maxClients, final Duration keepAlive, final boolean clientsMayCreateRooms,
        final int maxRooms, final Map<String, RecordingGame> games)
    {
        return GameType.builder(name)
            .entitySchema(SCHEMA)
            .inputSchema(INPUTS)
            .message(SAY)
            .message(ECHO)
            .joinOption(TEAM)
            .maxClients(maxClients)
            .maxEntities(64)
            .emptyRoomKeepAlive(keepAlive)
            .clientsMayCreateRooms(clientsMayCreateRooms)
            .maxRooms(maxRooms)
            .factory(room -> new RecordingGame(room, games));
    }

    static GameType type(final String name, final int maxClients, final Map<String, RecordingGame> games)
    {
        return type(name, maxClients, Duration.ZERO, true, 1000, games);
    }

    public void onCreate(final JoinOptions options)
    {
        calls.add("create team=" + options.intValue("team"));
        onCreate.accept(options);
    }

    public JoinDecision onJoinRequest(final Player player, final JoinOptions options)
    {
        calls.add("request " + player.name());
        return onJoinRequest.apply(player, options);
    }

    public void onJoin(final Player player)
    {
        calls.add("join " + player.name());
        final int id = 100 + player.id();
        avatars.put(id, new int[] {id, id});
        player.setEntityId(id);
        onJoin.accept(player);
    }

    public void onLeave(final Player player, final LeaveReason reason)
    {
        calls.add("leave " + player.name() + " " + reason);
        avatars.remove(player.entityId());
        onLeave.accept(player, reason);
    }

    public void onInput(final Player player, final Input input)
    {
        calls.add("input " + player.name() + " " + input.seq() + " dx=" + input.get(0) + " fire=" + input.get(1) +
            " view=" + input.viewTick());
        onInput.accept(player, input);
    }

    public void onMessage(final Player player, final Message message)
    {
        final String text = message.getText(0);
        calls.add("message " + player.name() + " " + text);
        onMessage.accept(player, message);
    }

    void echo(final Player player, final Message message)
    {
        room.message(ECHO).putInt(0, player.id()).putText(1, message.getText(0)).broadcast();
    }

    public void step(final long tick)
    {
        steps++;
        lastTick = tick;
        onStep.run();
        if (failNextStep)
        {
            failNextStep = false;
            throw new IllegalStateException("game bug");
        }
    }

    public void capture(final EntityWriter entities)
    {
        for (final Map.Entry<Integer, int[]> avatar : avatars.entrySet())
        {
            final int row = entities.add(avatar.getKey());
            entities.set(row, 0, avatar.getValue()[0]);
            entities.set(row, 1, avatar.getValue()[1]);
            entities.set(row, 2, 100);
            if (failNextCapture)
            {
                failNextCapture = false;
                throw new IllegalStateException("capture bug");
            }
        }
    }

    public void save(final StateWriter out)
    {
        calls.add("save " + room.tick());
        out.writeLong(steps);
        out.writeVarInt(avatars.size());
        for (final Map.Entry<Integer, int[]> avatar : avatars.entrySet())
        {
            out.writeInt(avatar.getKey());
            out.writeInts(avatar.getValue(), 0, 2);
        }
    }

    public void restore(final StateReader in, final int version)
    {
        calls.add("restore v" + version + " tick=" + room.tick() + " players=" + room.playerCount());
        steps = in.readLong();
        for (int i = 0, n = in.readVarInt(); i < n; i++)
        {
            final int id = in.readInt();
            final int[] position = new int[2];
            in.readInts(position, 0, 2);
            avatars.put(id, position);
        }
        onRestore.accept(in);
    }

    public void onDispose()
    {
        calls.add("dispose");
        onDispose.run();
    }

    /**
     * @return the calls recorded, as one list per room, for a failure message.
     */
    static Map<String, List<String>> callsOf(final Map<String, RecordingGame> games)
    {
        final Map<String, List<String>> calls = new HashMap<>();
        games.forEach((name, game) -> calls.put(name, game.calls));
        return calls;
    }
}
