package io.tickwire.sim;

import io.tickwire.api.schema.InputSchema;

/**
 * The decoded values of one input, one per input-schema field: what an event loop hands the ring with an INPUT.
 * One per event loop, reused; not thread safe.
 */
public final class InputValues
{
    /** The values; entries {@code 0..count-1} are valid. */
    public final int[] values = new int[InputSchema.MAX_FIELDS];

    /** The number of values: the input schema's field count. */
    public int count;
}
