package io.tickwire.api.schema;

import java.util.List;

/**
 * A game's input schema: the typed, ranged fields one INPUT carries, in wire order. The welcome sends it; the server
 * checks every value of every input against its field's range before the game sees it. Fields are numeric, with no
 * predictor and no role: an aim angle is a {@code FIXED} or {@code INT} field, buttons a {@code UINT} bit set.
 * <p>
 * Immutable and thread safe.
 */
public final class InputSchema extends FieldTable
{
    /** Most fields an input may carry. */
    public static final int MAX_FIELDS = 32;

    /** A schema with no fields: inputs then carry only their sequence and view tick. */
    public static final InputSchema EMPTY = new InputSchema(List.of());

    public InputSchema(final List<FieldDef> fields)
    {
        super("input", fields, 0, MAX_FIELDS);
        for (final FieldDef field : fields)
        {
            if (field.predictor() != FieldDef.NO_PREDICTOR || field.role() != FieldRole.NONE)
            {
                throw new IllegalArgumentException("input field " + field.name() + " has no predictor and no role");
            }
        }
    }
}
