package io.tickwire.sim.journal;

import io.tickwire.api.Identity;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import org.agrona.DirectBuffer;

/**
 * Records what a room's shard applied, in the order it applied it, for a deterministic replay: the listener a shard
 * calls when journaling is on ({@code ShardConfig.journals()} not null). Shard thread only; each call copies what it
 * needs (arrays and buffers are the caller's, reused) and must neither block nor allocate.
 * <p>
 * {@code tickAfter} is the last tick the room ran when the event was applied: the event takes effect in tick
 * {@code tickAfter + 1}. {@code tick} is the tick being run.
 */
public interface RoomJournal
{
    /**
     * A player was seated and the game saw {@code onJoin}.
     *
     * @param identity the player's identity, or null.
     */
    void onJoin(long tickAfter, int playerId, Identity identity, String name, JoinOptions options);

    /**
     * A player left and the game saw {@code onLeave(reason)}.
     */
    void onLeave(long tickAfter, int playerId, LeaveReason reason);

    /**
     * One input applied in {@code tick}, before the game's step: its sequence, view tick and {@code count} values
     * (one per input-schema field) from {@code values[offset]}.
     */
    void onInput(long tick, int playerId, int inputSeq, long viewTick, int[] values, int offset, int count);

    /**
     * A client message handed to the game: {@code length} bytes of its fields at {@code offset} in {@code buffer}.
     */
    void onMessage(long tickAfter, int playerId, int typeId, DirectBuffer buffer, int offset, int length);

    /**
     * The tick ran and the entity table was captured (not called for a tick whose step or capture threw).
     *
     * @param worldChecksum the checksum of the whole captured entity table.
     */
    void onTick(long tick, int worldChecksum);

    /**
     * The cycle's fan-out built a view for each of {@code count} players (1 or more; a fan-out that built none is
     * not reported): their ids and view checksums, the first {@code count} of each array.
     */
    void onFanOut(long tick, int count, int[] playerIds, int[] viewChecksums);

    /**
     * A new connection took the seat of {@code playerId} (resume or same-identity takeover): no game effect.
     */
    void onReplace(long tickAfter, int playerId);

    /**
     * The room was disposed after {@code tickAfter}; no call follows.
     */
    void onClose(long tickAfter);

    /**
     * @return true when the fan-out should also report each view it builds ({@link #onView}): a journal about to
     * start a new file from a checkpoint keeps the last views sent before it, which the replay of the new file needs
     * (a view's hysteresis depends on the view before).
     */
    default boolean wantsViews()
    {
        return false;
    }

    /**
     * The view the fan-out built for {@code playerId}: {@code count} keys, each an entity id in its high 32 bits, in
     * ascending id order. Only while {@link #wantsViews()}.
     */
    default void onView(long tick, int playerId, long[] viewKeys, int count)
    {
    }

    /**
     * Opens a room's journal. Called on the shard thread when a room is created or restored.
     */
    @FunctionalInterface
    interface Factory
    {
        /**
         * @param room       the room's name.
         * @param type       the name of its game type.
         * @param tickRateHz the shard's tick rate.
         * @param startTick  the room's tick when the journal starts: 0 for a new room (before its first tick), the
         *                   checkpoint's tick for a restored one.
         * @return the room's journal; null to record nothing for this room.
         */
        RoomJournal open(String room, String type, int tickRateHz, long startTick);
    }
}
