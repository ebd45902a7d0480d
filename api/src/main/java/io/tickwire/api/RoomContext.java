package io.tickwire.api;

import io.tickwire.api.schema.MessageType;

/**
 * What a room lets its game do and know. The server hands one to the game type's factory when it creates the room;
 * use it only on the room's shard thread, from the game's callbacks.
 */
public interface RoomContext
{
    /** Longest room metadata key, in UTF-8 bytes. */
    int MAX_METADATA_KEY_LENGTH = 32;

    /** Longest room metadata value, in UTF-8 bytes. */
    int MAX_METADATA_VALUE_LENGTH = 64;

    /** Most room metadata entries. */
    int MAX_METADATA_ENTRIES = 8;

    /**
     * @return the room's name, unique on the server.
     */
    String name();

    /**
     * @return the name of the room's game type.
     */
    String typeName();

    /**
     * @return the number of the tick being run, or of the last one run when called between ticks (0 before the
     * first). {@link Game#onInput}, {@link Game#step(long)} and {@link Game#capture} of tick T see T.
     */
    long tick();

    /**
     * @return the server's tick rate ({@code --tick-rate}, 1..128): the same number as the
     * {@link GameSettings#tickRateHz()} the game's provider was given.
     */
    int tickRateHz();

    /**
     * @return the room's generator, seeded from the server's seed and the room's name: the only randomness a
     * deterministic game uses. The same instance for the room's life (keep it in a field); its state is part of
     * the room's checkpoints, saved and restored by the server, not by the game.
     */
    RoomRandom random();

    /**
     * @return the number of players in the room.
     */
    int playerCount();

    /**
     * @param index 0..{@link #playerCount()}-1. Players are listed in join order, which is ascending id order; a
     *              leave removes one entry and the others keep their order. A joining player is listed from just
     *              before its {@link Game#onJoin}, a leaving one until just before its {@link Game#onLeave}.
     */
    Player player(int index);

    /**
     * @return the player with this id, or null.
     */
    Player playerById(int playerId);

    /**
     * Starts a message of a type the room may send; finish it with the writer's send, broadcast or
     * broadcastExcept.
     *
     * @throws IllegalArgumentException when the type is not one of the game type's room-to-client types.
     */
    MessageWriter message(MessageType type);

    /**
     * Removes a player: the client receives a NOTICE with the reason and a close (4001), and the game
     * {@link Game#onLeave} with {@link LeaveReason#KICKED} before the next tick.
     */
    void kick(Player player, String reason);

    /**
     * Stops new joins (a locked room refuses them and is not offered to "any room" joins) or allows them again.
     */
    void setLocked(boolean locked);

    boolean isLocked();

    /**
     * Hides the room from listings ({@code /rooms}) and from "any room" joins; it can still be joined by name.
     */
    void setPrivate(boolean hidden);

    boolean isPrivate();

    /**
     * Sets (or with a null value removes) one entry of the room's metadata, such as its map, mode or score: shown
     * in the room listing (refreshed about once a second) and in each joining client's welcome. Clients already in
     * the room are not sent changes. Keys are 1..{@link #MAX_METADATA_KEY_LENGTH} UTF-8 bytes, values
     * 0..{@link #MAX_METADATA_VALUE_LENGTH}, both text without control characters.
     *
     * @throws IllegalArgumentException beyond {@link #MAX_METADATA_ENTRIES} entries or the length limits, or with
     *                                  control characters.
     */
    void setMetadata(String key, String value);

    /**
     * @return the value of metadata {@code key}, or null.
     */
    String metadata(String key);

    /**
     * @return how many ticks before the last captured tick {@link #rewind(long)} can reach: at least the server's
     * history window ({@code --history-window}, default one second of ticks), rounded up to a power of two minus
     * one (31 at 30 Hz).
     */
    int rewindWindowTicks();

    /**
     * The entity state as captured at a past tick, for lag compensation. A tick older than the window is clamped
     * to the oldest tick remembered, a later one (the tick being run included) to the last tick captured. An entity
     * spawned after that tick is not found, nor is one removed since.
     */
    Rewind rewind(long tick);
}
