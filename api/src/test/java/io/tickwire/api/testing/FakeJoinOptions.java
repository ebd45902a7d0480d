package io.tickwire.api.testing;

import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import io.tickwire.api.JoinOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Join options as the server hands them to a game: checked against the type's declared {@link JoinOption}s, with
 * every option not given reading as its default.
 */
public final class FakeJoinOptions implements JoinOptions
{
    private final GameType type;
    private final Map<String, String> given;

    /**
     * @throws IllegalArgumentException for an undeclared key or an invalid value: the server refuses such a join
     *                                  before the game sees it.
     */
    public FakeJoinOptions(final GameType type, final Map<String, String> given)
    {
        if (given.size() > JoinOption.MAX_OPTIONS)
        {
            throw new IllegalArgumentException("more than " + JoinOption.MAX_OPTIONS + " options");
        }
        for (final Map.Entry<String, String> entry : given.entrySet())
        {
            final JoinOption option = type.joinOption(entry.getKey());
            if (option == null)
            {
                throw new IllegalArgumentException("unknown join option " + entry.getKey());
            }
            final String problem = option.check(entry.getValue());
            if (problem != null)
            {
                throw new IllegalArgumentException("join option " + entry.getKey() + ": " + problem);
            }
        }
        this.type = type;
        this.given = new LinkedHashMap<>(given);
    }

    public int intValue(final String name)
    {
        final JoinOption option = type.joinOption(name);
        if (option == null || !option.integer())
        {
            throw new IllegalArgumentException("no integer join option " + name);
        }
        return Integer.parseInt(text(name));
    }

    public String text(final String name)
    {
        final JoinOption option = type.joinOption(name);
        if (option == null)
        {
            throw new IllegalArgumentException("no join option " + name);
        }
        return given.getOrDefault(name, option.defaultValue());
    }

    public boolean isGiven(final String name)
    {
        return given.containsKey(name);
    }
}
