package io.tickwire.api;

/**
 * Where {@link Game#capture} writes the state of the tick: one row per entity, in ascending id order, one value per
 * field of the game's entity schema. The server deltas it per client; values must stay within their field's range.
 * <p>
 * Set every field of every entity added: the server reuses its table from tick to tick without clearing it, so a
 * field not set holds an unspecified value. An entity missing from a capture is gone (it leaves every client's
 * view); its id may be used again later, for a new entity. At most the type's {@code maxEntities} entities per
 * capture; the ids themselves are any non-negative ints (keep them at most {@code Integer.MAX_VALUE - 1}, since an
 * avatar's id travels in presence as id + 1).
 */
public interface EntityWriter
{
    /**
     * Appends an entity. Ids must ascend and be non-negative; they may equal player ids.
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
