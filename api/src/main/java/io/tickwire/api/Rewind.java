package io.tickwire.api;

/**
 * The entity state the room captured at a past tick, for lag compensation: test a shot against where targets were
 * when the shooter saw them. Get it from {@link RoomContext#rewind(long)}; valid until the next call of a callback.
 * <p>
 * The room remembers its last {@link RoomContext#rewindWindowTicks()} captured ticks. An entity is found at a past
 * tick when it existed then and still exists now: one removed since is not found.
 */
public interface Rewind
{
    /**
     * @return the tick this view shows: the tick asked for, clamped to the ticks the room remembers.
     */
    long tick();

    /**
     * @return true when the entity existed at {@link #tick()} and still exists: false for one spawned after that
     * tick, and for one removed since (even if its id was written again).
     */
    boolean contains(int entityId);

    /**
     * @return field {@code field} of the entity at {@link #tick()}, as captured then.
     * @throws IllegalArgumentException when {@link #contains(int)} is false.
     */
    int value(int entityId, int field);
}
