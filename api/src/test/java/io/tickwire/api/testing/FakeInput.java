package io.tickwire.api.testing;

import io.tickwire.api.Input;
import io.tickwire.api.schema.InputSchema;

import java.util.Arrays;

/**
 * One input as the server hands it to {@code Game.onInput}: a sequence, a view tick and values already checked
 * against the input schema's ranges.
 */
public final class FakeInput implements Input
{
    private final int seq;
    private final long viewTick;
    private final int[] values;

    /**
     * @throws IllegalArgumentException when the values do not match the schema: the server would close the client
     *                                  with 1002 and the game would never see the input.
     */
    public FakeInput(final InputSchema schema, final int seq, final long viewTick, final int... values)
    {
        if (seq == 0 || viewTick < 0 || values.length != schema.fieldCount())
        {
            throw new IllegalArgumentException("input needs seq != 0, viewTick >= 0 and " + schema.fieldCount() +
                " values: " + Arrays.toString(values));
        }
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] < schema.min(i) || values[i] > schema.max(i))
            {
                throw new IllegalArgumentException(
                    "input field " + schema.field(i).name() + " out of range: " + values[i]);
            }
        }
        this.seq = seq;
        this.viewTick = viewTick;
        this.values = values.clone();
    }

    public int seq()
    {
        return seq;
    }

    public long viewTick()
    {
        return viewTick;
    }

    public int get(final int field)
    {
        return values[field];
    }
}
