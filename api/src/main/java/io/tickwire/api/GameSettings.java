package io.tickwire.api;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a server tells a {@link GameProvider}: its tick rate, its seed and the options given for this game on the
 * command line. Immutable.
 */
public final class GameSettings
{
    private final int tickRateHz;
    private final long seed;
    private final Map<String, String> options;

    /**
     * @param options option key to value, keys without the game's name prefix.
     */
    public GameSettings(final int tickRateHz, final long seed, final Map<String, String> options)
    {
        this.tickRateHz = tickRateHz;
        this.seed = seed;
        this.options = Map.copyOf(options);
    }

    /**
     * @return the server's tick rate ({@code --tick-rate}): the same number as every room's
     * {@link RoomContext#tickRateHz()}.
     */
    public int tickRateHz()
    {
        return tickRateHz;
    }

    /**
     * @return the server's seed; mix it with the room name to seed a room.
     */
    public long seed()
    {
        return seed;
    }

    /**
     * @throws IllegalArgumentException when an option was given that is not in {@code known}.
     */
    public void requireOnly(final Set<String> known)
    {
        final Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty())
        {
            throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
    }

    /**
     * @return the option as an int within {@code min..max}, or {@code defaultValue} when not given.
     * @throws IllegalArgumentException when given but not such an int.
     */
    public int intOption(final String key, final int defaultValue, final int min, final int max)
    {
        final String value = options.get(key);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            final int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max)
            {
                return parsed;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the range
        }
        throw new IllegalArgumentException("option " + key + " must be an integer in " + min + ".." + max);
    }

    /**
     * @return the option as a double within {@code min..max}, or {@code defaultValue} when not given.
     * @throws IllegalArgumentException when given but not such a number.
     */
    public double doubleOption(final String key, final double defaultValue, final double min, final double max)
    {
        final String value = options.get(key);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            final double parsed = Double.parseDouble(value.trim());
            if (parsed >= min && parsed <= max)
            {
                return parsed;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the range
        }
        throw new IllegalArgumentException("option " + key + " must be a number in " + min + ".." + max);
    }

    /**
     * @return the option as a long, or {@code defaultValue} when not given.
     * @throws IllegalArgumentException when given but not a long.
     */
    public long longOption(final String key, final long defaultValue)
    {
        final String value = options.get(key);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("option " + key + " must be an integer", ex);
        }
    }

    public String toString()
    {
        return "GameSettings{tickRateHz=" + tickRateHz + ", seed=" + seed + ", options=" + options + "}";
    }
}
