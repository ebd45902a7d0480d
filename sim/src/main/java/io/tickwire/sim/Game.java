package io.tickwire.sim;

import io.tickwire.api.schema.EntitySchema;

/**
 * The rules of one room's game. The netcode calls it only from the room's shard thread, in this order each tick:
 * {@link #onJoin}/{@link #onLeave} as clients come and go, {@link #onInput} for each input in sequence order, then
 * {@link #step} once, then {@link #capture}. An implementation must be deterministic: all time comes from the tick
 * number and its fixed period, all randomness from a seeded generator.
 * <p>
 * An exception thrown from any method is caught by the shard, counted and reported; the room goes on.
 */
public interface Game
{
    /**
     * Spawns the avatar of a player who joined.
     *
     * @return the avatar's entity id, or a negative number when no avatar can be spawned (the join is refused).
     */
    int onJoin(String playerName);

    /**
     * Removes the avatar of a player who left or disconnected.
     */
    void onLeave(int entityId);

    /**
     * Applies one input of the player owning {@code entityId}.
     *
     * @param moveX   horizontal move intent, -127..127.
     * @param moveY   vertical move intent, -127..127.
     * @param buttons bit set of pressed buttons.
     */
    void onInput(int entityId, int moveX, int moveY, int buttons);

    /**
     * Advances the world by one fixed tick.
     *
     * @param tick the number of the tick being run, counting from 1.
     */
    void step(long tick);

    /**
     * Writes the state clients may see into {@code table}, in ascending entity id order, one value per field of
     * {@link #schema()}, each within the field's range.
     */
    void capture(EntityTable table);

    /**
     * @return the fields of this game's entities; the same instance for the life of the game. Interest
     * management uses the fields with the position roles.
     */
    EntitySchema schema();
}
