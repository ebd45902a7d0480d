package io.tickwire.sim;

import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The room types a server hosts, by name. Built once at start, immutable and thread safe afterwards: event loops
 * look types up to validate joins, inputs and messages; shards to create rooms.
 */
public final class GameCatalog
{
    private final Map<String, GameType> types;

    public GameCatalog(final Collection<GameType> types)
    {
        final Map<String, GameType> byName = new LinkedHashMap<>();
        for (final GameType type : types)
        {
            if (byName.put(type.name(), type) != null)
            {
                throw new IllegalArgumentException("two games named " + type.name());
            }
        }
        if (byName.isEmpty())
        {
            throw new IllegalArgumentException("a server hosts at least one game");
        }
        this.types = Collections.unmodifiableMap(byName);
    }

    /**
     * @return the names of the games whose providers the class loader finds
     * ({@code META-INF/services/io.tickwire.api.GameProvider}), in the order found.
     */
    public static List<String> discoverNames(final ClassLoader classLoader)
    {
        final List<String> names = new ArrayList<>();
        for (final GameProvider provider : ServiceLoader.load(GameProvider.class, classLoader))
        {
            names.add(provider.name());
        }
        return names;
    }

    /**
     * Creates the named games from the providers the class loader finds.
     *
     * @param names    the games to host; empty for every game found.
     * @param settings the settings of each game, by name.
     * @throws IllegalArgumentException when a named game is not found, or a provider refuses its settings.
     */
    public static GameCatalog load(
        final ClassLoader classLoader, final List<String> names, final Function<String, GameSettings> settings)
    {
        final Map<String, GameProvider> providers = new LinkedHashMap<>();
        for (final GameProvider provider : ServiceLoader.load(GameProvider.class, classLoader))
        {
            providers.putIfAbsent(provider.name(), provider);
        }
        final List<String> wanted = names.isEmpty() ? new ArrayList<>(providers.keySet()) : names;
        final List<GameType> types = new ArrayList<>();
        for (final String name : wanted)
        {
            final GameProvider provider = providers.get(name);
            if (provider == null)
            {
                throw new IllegalArgumentException("no game named " + name + " on the class path; found " +
                    providers.keySet());
            }
            final GameType type;
            try
            {
                type = provider.create(settings.apply(name));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("game " + name + ": " + ex.getMessage(), ex);
            }
            if (!type.name().equals(name))
            {
                throw new IllegalArgumentException("provider " + name + " made a game named " + type.name());
            }
            types.add(type);
        }
        return new GameCatalog(types);
    }

    /**
     * @return the type named {@code name}, or null.
     */
    public GameType get(final String name)
    {
        return types.get(name);
    }

    public Collection<GameType> types()
    {
        return types.values();
    }
}
