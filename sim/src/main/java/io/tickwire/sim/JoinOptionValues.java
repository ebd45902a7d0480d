package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import io.tickwire.api.JoinOptions;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link JoinOptions} of one join, validated against the game type's declared options: unknown names and bad
 * values are refused, and options not given read as their defaults. Immutable and thread safe.
 */
public final class JoinOptionValues implements JoinOptions
{
    private final GameType type;
    private final Map<String, String> given;

    private JoinOptionValues(final GameType type, final Map<String, String> given)
    {
        this.type = type;
        this.given = given;
    }

    /**
     * @return every option at its default: the options of a room the server opens by itself.
     */
    public static JoinOptionValues defaults(final GameType type)
    {
        return new JoinOptionValues(type, Map.of());
    }

    /**
     * Validates the options a client gave.
     *
     * @throws IllegalArgumentException naming the option when one is not declared by the type or its value is bad.
     */
    public static JoinOptionValues of(final GameType type, final Map<String, String> options)
    {
        if (options.size() > JoinOption.MAX_OPTIONS)
        {
            throw new IllegalArgumentException("more than " + JoinOption.MAX_OPTIONS + " options");
        }
        for (final Map.Entry<String, String> entry : options.entrySet())
        {
            final JoinOption option = type.joinOption(entry.getKey());
            if (option == null)
            {
                throw new IllegalArgumentException("unknown option " + entry.getKey());
            }
            final String problem = option.check(entry.getValue());
            if (problem != null)
            {
                throw new IllegalArgumentException("option " + entry.getKey() + ": " + problem);
            }
        }
        return new JoinOptionValues(type, Map.copyOf(new HashMap<>(options)));
    }

    public int intValue(final String name)
    {
        final JoinOption option = declared(name);
        if (!option.integer())
        {
            throw new IllegalArgumentException("option " + name + " is text");
        }
        return Integer.parseInt(text(name));
    }

    public String text(final String name)
    {
        final JoinOption option = declared(name);
        final String value = given.get(name);
        return value != null ? value : option.defaultValue();
    }

    public boolean isGiven(final String name)
    {
        declared(name);
        return given.containsKey(name);
    }

    /**
     * @return the options given, by name (defaults not included); immutable.
     */
    public Map<String, String> given()
    {
        return given;
    }

    public String toString()
    {
        return "JoinOptions" + given;
    }

    private JoinOption declared(final String name)
    {
        final JoinOption option = type.joinOption(name);
        if (option == null)
        {
            throw new IllegalArgumentException("game " + type.name() + " declares no option " + name);
        }
        return option;
    }
}
