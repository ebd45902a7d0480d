package io.tickwire.codec;

import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;

/**
 * The fields of a game message, in schema order, as every message carries them:
 * <pre>
 *   numeric field  varint (value - min), at most max - min
 *   TEXT field     varint length (at most max), then that many bytes of UTF-8 without control characters
 *   BYTES field    varint length (at most max), then that many bytes
 * </pre>
 * The one reader of that layout, for {@link MessageCodec} (validation) and {@link MessageReader} (access).
 */
final class MessageFields
{
    private MessageFields()
    {
    }

    /**
     * Reads and checks every field of a message of {@code type}.
     *
     * @param values receives per field its value (numeric) or its length in bytes (text, bytes).
     * @param starts receives per field the absolute offset of its first byte (text, bytes), or -1 (numeric).
     * @return true when every field is valid; the reader then stands after the last field.
     */
    static boolean read(final MessageType type, final VarInts.Reader reader, final int[] values, final int[] starts)
    {
        for (int i = 0, n = type.fieldCount(); i < n; i++)
        {
            final FieldDef field = type.field(i);
            final FieldType fieldType = field.type();
            if (fieldType.isNumeric())
            {
                values[i] = reader.rangedInt(field.min(), field.max());
                starts[i] = -1;
            }
            else
            {
                values[i] = fieldType == FieldType.TEXT ? reader.text(0, field.max()) : reader.bytes(field.max());
                starts[i] = reader.position() - values[i];
            }
        }
        return reader.isValid();
    }
}
