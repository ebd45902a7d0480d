package io.tickwire.api;

/**
 * One input of a player, in the layout of the game's {@link io.tickwire.api.schema.InputSchema}. A view reused for
 * every input: valid only during {@link Game#onInput}.
 */
public interface Input
{
    /**
     * @return the input's sequence number: newer than the player's previous input.
     */
    int seq();

    /**
     * @return the tick the client was looking at when it made this input: the tick of its newest applied snapshot
     * minus its interpolation delay, as the client says; pass it to {@link RoomContext#rewind(long)} for a
     * lag-compensated hit test. 0 when the client gave none.
     */
    long viewTick();

    /**
     * @return the value of field {@code field} of the input schema, within the field's range.
     */
    int get(int field);
}
