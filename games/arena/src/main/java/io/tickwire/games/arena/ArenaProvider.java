package io.tickwire.games.arena;

import io.tickwire.api.Chat;
import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.schema.MessageType;

import java.time.Duration;

/**
 * Offers the arena as room type {@value #NAME}. Options ({@code --game-option arena.key=value}): {@code worldSize}
 * (units, 1..2^20, default 1000), {@code npcs} (default 200), {@code npcSpeed} (units/s, default 60),
 * {@code npcTurnChance} (per tick, 0..1, default 0.02), {@code playerSpeed} (units/s, default 120).
 * <p>
 * Message types: {@link #CHAT}. Limits: {@value #MAX_CLIENTS} clients and {@value #MAX_ENTITIES} entities a room,
 * so {@code npcs} may be at most {@code MAX_ENTITIES - MAX_CLIENTS}; clients may create rooms; an empty room
 * closes at the next tick.
 */
public final class ArenaProvider implements GameProvider
{
    public static final String NAME = "arena";
    public static final int MAX_CLIENTS = 1000;
    public static final int MAX_ENTITIES = 4096;

    /** Chat, both ways, as tag's ({@link Chat}): 5 a second, bursts of 10, 96 bytes of text. */
    public static final MessageType CHAT = Chat.type(1);

    /** The layout {@link ArenaGame#save} writes; rooms of this type are checkpointed. */
    public static final int CHECKPOINT_VERSION = 1;

    public String name()
    {
        return NAME;
    }

    public GameType create(final GameSettings settings)
    {
        final ArenaConfig config = ArenaConfig.from(settings);
        if (config.npcs() + MAX_CLIENTS > MAX_ENTITIES)
        {
            throw new IllegalArgumentException("arena: npcs (" + config.npcs() + ") + maxClients (" + MAX_CLIENTS +
                ") must not exceed maxEntities (" + MAX_ENTITIES + ")");
        }
        final int capacity = config.npcs() + MAX_CLIENTS;
        return GameType.builder(NAME)
            .entitySchema(ArenaGame.entitySchema(config))
            .inputSchema(ArenaGame.INPUT_SCHEMA)
            .message(CHAT)
            .maxClients(MAX_CLIENTS)
            .maxEntities(MAX_ENTITIES)
            .clientsMayCreateRooms(true)
            .emptyRoomKeepAlive(Duration.ZERO)
            .checkpointVersion(CHECKPOINT_VERSION)
            .factory(room -> new ArenaGame(room, config, capacity))
            .build();
    }
}
