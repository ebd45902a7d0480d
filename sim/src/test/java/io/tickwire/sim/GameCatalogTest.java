package io.tickwire.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.games.arena.ArenaProvider;
import io.tickwire.games.tag.TagProvider;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GameCatalogTest
{
    private static final ClassLoader LOADER = GameCatalogTest.class.getClassLoader();
    private static final Function<String, GameSettings> DEFAULTS = name -> new GameSettings(30, 7L, Map.of());

    @Test
    void findsEveryGameOnTheClassPath()
    {
        assertTrue(GameCatalog.discoverNames(LOADER).containsAll(List.of(ArenaProvider.NAME, TagProvider.NAME)));
        final GameCatalog all = GameCatalog.load(LOADER, List.of(), DEFAULTS);
        assertEquals(ArenaProvider.NAME, all.get(ArenaProvider.NAME).name());
        assertEquals(TagProvider.NAME, all.get(TagProvider.NAME).name());
        assertEquals(TagProvider.MAX_CLIENTS, all.get(TagProvider.NAME).maxClients());
        assertNull(all.get("chess"));
    }

    @Test
    void loadsOnlyTheGamesNamedWithTheirOwnSettings()
    {
        final Map<String, GameSettings> settings = Map.of(
            ArenaProvider.NAME, new GameSettings(30, 7L, Map.of("npcs", "5")),
            TagProvider.NAME, new GameSettings(30, 7L, Map.of("worldSize", "100")));
        final GameCatalog tagOnly = GameCatalog.load(LOADER, List.of(TagProvider.NAME), settings::get);
        assertEquals(List.of(TagProvider.NAME), tagOnly.types().stream().map(GameType::name).toList());
        final GameCatalog both = GameCatalog.load(LOADER, List.of(TagProvider.NAME, ArenaProvider.NAME),
            settings::get);
        assertEquals(List.of(TagProvider.NAME, ArenaProvider.NAME), both.types().stream().map(GameType::name).toList());
    }

    @Test
    void refusesAnUnknownGameOrABadOption()
    {
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> GameCatalog.load(LOADER, List.of("arena", "chess"), DEFAULTS));
        assertTrue(unknown.getMessage().contains("chess"), unknown.getMessage());

        for (final Map<String, String> bad : List.of(Map.of("npcs", "-5"), Map.of("bogus", "1"),
            Map.of("worldSize", "big")))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> GameCatalog.load(LOADER, List.of(ArenaProvider.NAME), name -> new GameSettings(30, 7L, bad)));
            assertTrue(ex.getMessage().startsWith("game arena: "), ex.getMessage());
        }
    }

    @Test
    void refusesTwoGamesOfOneNameAndNoGameAtAll()
    {
        final GameType one = RecordingGame.type("same", 2, new HashMap<>());
        final GameType two = RecordingGame.type("same", 4, new HashMap<>());
        assertThrows(IllegalArgumentException.class, () -> new GameCatalog(List.of(one, two)));
        assertThrows(IllegalArgumentException.class, () -> new GameCatalog(List.of()));
        assertEquals(Set.of(one), Set.copyOf(new GameCatalog(List.of(one)).types()));
    }
}
