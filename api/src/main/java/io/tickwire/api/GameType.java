package io.tickwire.api;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A room type: everything the server needs to host rooms of one game. Its schemas (entities, inputs, messages),
 * the join options it accepts, its limits and lifetime rules, and the factory of each room's {@link Game}. Build one
 * with {@link #builder(String)}; immutable and thread safe.
 * <pre>
 *   GameType.builder("counter")
 *       .entitySchema(new EntitySchema(List.of(FieldDef.uint("count", 1000))))
 *       .message(MessageType.fromClients(1, "add", 10, 20, FieldDef.integer("amount", 1, 10)))
 *       .maxClients(8)
 *       .factory(CounterGame::new)
 *       .build();
 * </pre>
 */
public final class GameType
{
    /** Most clients a room of any type may admit. */
    public static final int MAX_CLIENTS = 1 << 16;

    /** Most entities a room of any type may hold: a delta may remove a whole view and enter another. */
    public static final int MAX_ENTITIES = 0xFFFF / 2;

    private final String name;
    private final EntitySchema entitySchema;
    private final InputSchema inputSchema;
    private final List<MessageType> messageTypes;
    private final MessageType[] messageTypesById = new MessageType[MessageType.MAX_ID + 1];
    private final List<JoinOption> joinOptions;
    private final int maxClients;
    private final int maxEntities;
    private final Duration emptyRoomKeepAlive;
    private final boolean clientsMayCreateRooms;
    private final int maxRooms;
    private final int checkpointVersion;
    private final Function<RoomContext, Game> factory;

    private GameType(final Builder builder)
    {
        name = builder.name;
        entitySchema = Objects.requireNonNull(builder.entitySchema, "entitySchema");
        inputSchema = builder.inputSchema;
        messageTypes = List.copyOf(builder.messageTypes);
        joinOptions = List.copyOf(builder.joinOptions);
        maxClients = builder.maxClients;
        maxEntities = builder.maxEntities;
        emptyRoomKeepAlive = builder.emptyRoomKeepAlive;
        clientsMayCreateRooms = builder.clientsMayCreateRooms;
        maxRooms = builder.maxRooms;
        checkpointVersion = builder.checkpointVersion;
        factory = Objects.requireNonNull(builder.factory, "factory");

        final Set<String> messageNames = new HashSet<>();
        for (final MessageType type : messageTypes)
        {
            if (messageTypesById[type.id()] != null || !messageNames.add(type.name()))
            {
                throw new IllegalArgumentException("game " + name + ": duplicate message type " + type.name());
            }
            messageTypesById[type.id()] = type;
        }
        final Set<String> optionNames = new HashSet<>();
        for (final JoinOption option : joinOptions)
        {
            if (!optionNames.add(option.name()))
            {
                throw new IllegalArgumentException("game " + name + ": duplicate join option " + option.name());
            }
        }
        if (joinOptions.size() > JoinOption.MAX_OPTIONS)
        {
            throw new IllegalArgumentException("game " + name + ": more than " + JoinOption.MAX_OPTIONS + " options");
        }
    }

    /**
     * @param name the room type's name: 1..32 characters of {@code [a-z0-9_-]}, starting with a letter or digit.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /**
     * @return true when {@code name} may name a room type.
     */
    public static boolean isValidName(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > 32 || name.charAt(0) == '-' || name.charAt(0) == '_')
        {
            return false;
        }
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    public String name()
    {
        return name;
    }

    public EntitySchema entitySchema()
    {
        return entitySchema;
    }

    public InputSchema inputSchema()
    {
        return inputSchema;
    }

    /**
     * @return every message type, in declaration order.
     */
    public List<MessageType> messageTypes()
    {
        return messageTypes;
    }

    /**
     * @return the message type with wire id {@code id}, or null.
     */
    public MessageType messageType(final int id)
    {
        return id >= 0 && id < messageTypesById.length ? messageTypesById[id] : null;
    }

    public List<JoinOption> joinOptions()
    {
        return joinOptions;
    }

    /**
     * @return the declared join option named {@code optionName}, or null.
     */
    public JoinOption joinOption(final String optionName)
    {
        for (final JoinOption option : joinOptions)
        {
            if (option.name().equals(optionName))
            {
                return option;
            }
        }
        return null;
    }

    public int maxClients()
    {
        return maxClients;
    }

    public int maxEntities()
    {
        return maxEntities;
    }

    /**
     * @return how long a room stays open with no players before it is disposed (zero: at the next tick).
     */
    public Duration emptyRoomKeepAlive()
    {
        return emptyRoomKeepAlive;
    }

    /**
     * @return whether a client's join may create a room of this type; when false only the server opens rooms
     * ({@code --room TYPE:NAME}).
     */
    public boolean clientsMayCreateRooms()
    {
        return clientsMayCreateRooms;
    }

    /**
     * @return most rooms of this type open at once on a server.
     */
    public int maxRooms()
    {
        return maxRooms;
    }

    /**
     * @return the version of the state the type's games write with {@link Game#save(StateWriter)}, passed back to
     * {@link Game#restore(StateReader, int)}; 0 when the game does not checkpoint (its rooms are not restored
     * elsewhere when their server dies).
     */
    public int checkpointVersion()
    {
        return checkpointVersion;
    }

    /**
     * Makes the game of a new room. Called on the shard thread that will own the room.
     */
    public Game newGame(final RoomContext room)
    {
        return factory.apply(room);
    }

    public String toString()
    {
        return "GameType{" + name + "}";
    }

    /**
     * Collects a game type's parts; {@link #entitySchema} and {@link #factory} are required.
     */
    public static final class Builder
    {
        private final String name;
        private EntitySchema entitySchema;
        private InputSchema inputSchema = InputSchema.EMPTY;
        private final List<MessageType> messageTypes = new ArrayList<>();
        private final List<JoinOption> joinOptions = new ArrayList<>();
        private int maxClients = 64;
        private int maxEntities = 4096;
        private Duration emptyRoomKeepAlive = Duration.ZERO;
        private boolean clientsMayCreateRooms = true;
        private int maxRooms = 1000;
        private int checkpointVersion;
        private Function<RoomContext, Game> factory;

        private Builder(final String name)
        {
            if (!isValidName(name))
            {
                throw new IllegalArgumentException("a game type name is 1..32 of [a-z0-9_-]: " + name);
            }
            this.name = name;
        }

        public Builder entitySchema(final EntitySchema schema)
        {
            this.entitySchema = Objects.requireNonNull(schema);
            return this;
        }

        /**
         * Default: {@link InputSchema#EMPTY}.
         */
        public Builder inputSchema(final InputSchema schema)
        {
            this.inputSchema = Objects.requireNonNull(schema);
            return this;
        }

        public Builder message(final MessageType type)
        {
            messageTypes.add(Objects.requireNonNull(type));
            return this;
        }

        public Builder joinOption(final JoinOption option)
        {
            joinOptions.add(Objects.requireNonNull(option));
            return this;
        }

        /**
         * Default 64; 1..{@link GameType#MAX_CLIENTS}.
         */
        public Builder maxClients(final int maxClients)
        {
            this.maxClients = requireRange("maxClients", maxClients, 1, MAX_CLIENTS);
            return this;
        }

        /**
         * Default 4096; 1..{@link GameType#MAX_ENTITIES}. Every entity a capture writes counts, avatars included.
         */
        public Builder maxEntities(final int maxEntities)
        {
            this.maxEntities = requireRange("maxEntities", maxEntities, 1, MAX_ENTITIES);
            return this;
        }

        /**
         * Default zero: an empty room is disposed at the next tick.
         */
        public Builder emptyRoomKeepAlive(final Duration keepAlive)
        {
            if (keepAlive.isNegative() || keepAlive.compareTo(Duration.ofDays(1)) > 0)
            {
                throw new IllegalArgumentException("emptyRoomKeepAlive must be in 0..1 day: " + keepAlive);
            }
            this.emptyRoomKeepAlive = keepAlive;
            return this;
        }

        /**
         * Default true.
         */
        public Builder clientsMayCreateRooms(final boolean allowed)
        {
            this.clientsMayCreateRooms = allowed;
            return this;
        }

        /**
         * Default 1000; most rooms of this type open at once on a server.
         */
        public Builder maxRooms(final int maxRooms)
        {
            this.maxRooms = requireRange("maxRooms", maxRooms, 1, 1 << 20);
            return this;
        }

        /**
         * Default 0, no checkpoints. A version of 1 or more declares that the game implements
         * {@link Game#save(StateWriter)} and {@link Game#restore(StateReader, int)}; raise it whenever the layout of
         * the saved state changes, and keep reading the versions a running server may still hold.
         */
        public Builder checkpointVersion(final int version)
        {
            this.checkpointVersion = requireRange("checkpointVersion", version, 0, 0xFFFF);
            return this;
        }

        public Builder factory(final Function<RoomContext, Game> factory)
        {
            this.factory = Objects.requireNonNull(factory);
            return this;
        }

        public GameType build()
        {
            return new GameType(this);
        }

        private static int requireRange(final String what, final int value, final int min, final int max)
        {
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(what + " must be in " + min + ".." + max + ": " + value);
            }
            return value;
        }
    }
}
