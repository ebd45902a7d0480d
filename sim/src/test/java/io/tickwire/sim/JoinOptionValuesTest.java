package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.JoinOption;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoinOptionValuesTest
{
    private static final GameType TYPE = GameType.builder("opts")
        .entitySchema(RecordingGame.SCHEMA)
        .joinOption(JoinOption.integer("score", 1, 100, 10))
        .joinOption(JoinOption.text("map", 8, "dust"))
        .factory(room -> null)
        .build();

    @Test
    void optionsNotGivenReadAsTheirDefaults()
    {
        final JoinOptionValues defaults = JoinOptionValues.defaults(TYPE);
        assertEquals(10, defaults.intValue("score"));
        assertEquals("10", defaults.text("score"));
        assertEquals("dust", defaults.text("map"));
        assertFalse(defaults.isGiven("score"));

        final JoinOptionValues some = JoinOptionValues.of(TYPE, Map.of("map", "nuke"));
        assertTrue(some.isGiven("map"));
        assertFalse(some.isGiven("score"));
        assertEquals("nuke", some.text("map"));
        assertEquals(10, some.intValue("score"));
    }

    @Test
    void givenOptionsAreReadAndCopied()
    {
        final Map<String, String> given = new HashMap<>(Map.of("score", "100", "map", ""));
        final JoinOptionValues options = JoinOptionValues.of(TYPE, given);
        given.put("score", "1");
        assertEquals(100, options.intValue("score"));
        assertEquals("", options.text("map"));
        assertEquals(1, JoinOptionValues.of(RecordingGame.type("t", 2, new HashMap<>()), Map.of("team", "1"))
            .intValue("team"));
    }

    @Test
    void refusesAnUnknownOptionAndBadValuesNamingTheOption()
    {
        assertRefused(Map.of("bogus", "1"), "bogus");
        for (final String bad : List.of("abc", "1.5", "", "0", "101", " 5", "5 ", "99999999999", "0x10"))
        {
            assertRefused(Map.of("score", bad), "score");
        }
        assertRefused(Map.of("map", "123456789"), "map");
        assertRefused(Map.of("map", "du\nst"), "map");
        assertRefused(Map.of("map", "\u0085"), "map");
    }

    @Test
    void refusesMoreThanTheMostOptions()
    {
        final Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i <= JoinOption.MAX_OPTIONS; i++)
        {
            many.put("o" + i, "1");
        }
        assertRefused(many, "options");
    }

    @Test
    void readingAnUndeclaredOptionOrTextAsAnIntegerIsRefused()
    {
        final JoinOptionValues options = JoinOptionValues.defaults(TYPE);
        assertThrows(IllegalArgumentException.class, () -> options.intValue("map"));
        assertThrows(IllegalArgumentException.class, () -> options.intValue("bogus"));
        assertThrows(IllegalArgumentException.class, () -> options.text("bogus"));
        assertThrows(IllegalArgumentException.class, () -> options.isGiven("bogus"));
    }

    private static void assertRefused(final Map<String, String> options, final String named)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> JoinOptionValues.of(TYPE, options), options.toString());
        assertTrue(ex.getMessage().contains(named), ex.getMessage());
    }
}
