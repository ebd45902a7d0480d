package io.tickwire.api.testing;

import io.tickwire.api.Message;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A client message as the server hands it to {@code Game.onMessage}: every field checked against its schema.
 * Values are {@link Integer} for numeric fields, {@link String} for text and {@code byte[]} for bytes.
 */
public final class FakeMessage implements Message
{
    private final MessageType type;
    private final Object[] values;

    /**
     * @throws IllegalArgumentException when a value does not fit its field: the server would close the client.
     */
    public FakeMessage(final MessageType type, final Object... values)
    {
        if (values.length != type.fieldCount())
        {
            throw new IllegalArgumentException(type.name() + " has " + type.fieldCount() + " fields");
        }
        for (int i = 0; i < values.length; i++)
        {
            check(type.field(i), values[i]);
        }
        this.type = type;
        this.values = values.clone();
    }

    public MessageType type()
    {
        return type;
    }

    public int getInt(final int field)
    {
        return (Integer)values[field];
    }

    public String getText(final int field)
    {
        return (String)values[field];
    }

    public int length(final int field)
    {
        return bytes(values[field]).length;
    }

    public void getBytes(final int field, final byte[] target, final int offset)
    {
        final byte[] bytes = bytes(values[field]);
        System.arraycopy(bytes, 0, target, offset, bytes.length);
    }

    public String toString()
    {
        return type.name() + Arrays.deepToString(values);
    }

    /**
     * @return {@code value}, when it is valid for {@code field} as the server checks both directions.
     * @throws IllegalArgumentException otherwise.
     */
    static Object check(final FieldDef field, final Object value)
    {
        if (field.type().isNumeric())
        {
            if (!(value instanceof Integer) || !field.contains((Integer)value))
            {
                throw new IllegalArgumentException("field " + field.name() + ": not an int in range: " + value);
            }
            return value;
        }
        if (field.type() == FieldType.TEXT)
        {
            if (!(value instanceof CharSequence))
            {
                throw new IllegalArgumentException("field " + field.name() + " is text: " + value);
            }
            return TextRules.require("field " + field.name(), (CharSequence)value, field.max());
        }
        if (!(value instanceof byte[]) || ((byte[])value).length > field.max())
        {
            throw new IllegalArgumentException("field " + field.name() + ": bytes of at most " + field.max());
        }
        return ((byte[])value).clone();
    }

    private static byte[] bytes(final Object value)
    {
        if (value instanceof String)
        {
            return ((String)value).getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof byte[])
        {
            return (byte[])value;
        }
        throw new IllegalArgumentException("not a text or bytes field");
    }
}
