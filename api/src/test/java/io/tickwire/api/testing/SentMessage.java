package io.tickwire.api.testing;

import io.tickwire.api.schema.MessageType;

import java.util.List;

/**
 * One room-to-client message a game sent through a {@link FakeRoom}: its type, the tick during which it was sent
 * ({@link FakeRoom#tick()}), the ids of the players it went to, and its field values ({@link Integer},
 * {@link String} or {@code byte[]}).
 */
public record SentMessage(MessageType type, long tick, List<Integer> recipients, List<Object> values)
{
    public String typeName()
    {
        return type.name();
    }

    public int intValue(final String field)
    {
        return (Integer)values.get(index(field));
    }

    public String text(final String field)
    {
        return (String)values.get(index(field));
    }

    public boolean isFor(final int playerId)
    {
        return recipients.contains(playerId);
    }

    private int index(final String field)
    {
        final int index = type.indexOf(field);
        if (index < 0)
        {
            throw new IllegalArgumentException(type.name() + " has no field " + field);
        }
        return index;
    }
}
