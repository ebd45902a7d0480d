package io.tickwire.api;

/**
 * Where {@link Game#capture} writes the state of the tick: one row per entity, in ascending id order, one value per
 * field of the game's entity schema. The server deltas it per client; values must stay within their field's range.
 */
public interface EntityWriter
{
    /**
     * Appends an entity. Ids must ascend and be non-negative.
     *
     * @return the entity's row, for {@link #set}.
     * @throws IllegalStateException when ids do not ascend or the room holds its type's maximum of entities.
     */
    int add(int entityId);

    /**
     * Sets field {@code field} of the entity at {@code row}.
     *
     * @throws IllegalStateException when the value is outside the field's range.
     */
    void set(int row, int field, int value);
}
