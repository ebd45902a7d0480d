package io.tickwire.api;

/**
 * A player in a room, as the game sees it. The handle is valid from {@link Game#onJoin} to the end of
 * {@link Game#onLeave}; use it only on the room's shard thread, in callbacks.
 * <p>
 * Presence is built in: every client of the room sees each player's id, name, entity id and metadata, and is told
 * when a player joins, leaves (with the reason) or changes its entity or metadata.
 */
public interface Player
{
    /** {@link #entityId()} of a player with no avatar. */
    int NO_ENTITY = -1;

    /** Most metadata entries a player may have. */
    int MAX_METADATA_ENTRIES = 8;

    /** Longest metadata key, in UTF-8 bytes. */
    int MAX_METADATA_KEY_LENGTH = 32;

    /** Longest metadata value, in UTF-8 bytes. */
    int MAX_METADATA_VALUE_LENGTH = 64;

    /**
     * @return the player's id in this room: 1, 2, 3, ... in the order joins reach the game (a join the game refuses
     * also takes an id), never reused while the room lives, so not bounded by the type's maximum of clients.
     */
    int id();

    /**
     * @return the name the client joined with (0..32 bytes).
     */
    String name();

    /**
     * @return the identity the server verified from the client's token, or null when the server does not
     * authenticate clients (no token secret configured).
     */
    Identity identity();

    /**
     * @return the options the player joined with.
     */
    JoinOptions options();

    /**
     * @return the entity interest management centres the player's view on, or {@link #NO_ENTITY}.
     */
    int entityId();

    /**
     * Sets the player's avatar: its view centres on this entity from the next snapshot, and every client is told
     * (only when it changed). The id may name an entity not (yet) captured; with interest management on, the
     * player's view is empty until it is. Use ids up to {@code Integer.MAX_VALUE - 1}: presence carries id + 1.
     *
     * @throws IllegalArgumentException for an id below {@link #NO_ENTITY}.
     */
    void setEntityId(int entityId);

    /**
     * @return the value of metadata {@code key}, or null.
     */
    String metadata(String key);

    /**
     * Sets (or with a null value removes) one metadata entry, such as a team, a score or "ready"; every client of
     * the room receives the change, in order with the room's messages.
     *
     * @throws IllegalArgumentException beyond {@link #MAX_METADATA_ENTRIES} entries or the length limits, or with
     *                                  control characters.
     */
    void setMetadata(String key, String value);

    /**
     * @return the sequence of the last input of this player the game was given, 0 before the first.
     */
    int lastInputSeq();

    /**
     * @return the view tick of the last input applied ({@link Input#viewTick()}), 0 before the first.
     */
    long viewTick();

    /**
     * @return the object the game attached to the player, or null.
     */
    Object attachment();

    /**
     * Attaches any object of the game's to the player, such as its per-player state.
     */
    void attach(Object attachment);
}
