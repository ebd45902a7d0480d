package io.tickwire.sim;

import io.tickwire.api.Player;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataTest
{
    private final Metadata metadata = new Metadata(
        Player.MAX_METADATA_ENTRIES, Player.MAX_METADATA_KEY_LENGTH, Player.MAX_METADATA_VALUE_LENGTH);

    @Test
    void keepsEntriesInInsertionOrderAndSaysWhetherAPutChangedAnything()
    {
        assertTrue(metadata.put("team", "red"));
        assertTrue(metadata.put("score", "0"));
        assertTrue(metadata.put("ready", ""));
        assertFalse(metadata.put("team", "red"), "the same value");
        assertTrue(metadata.put("team", "blue"));
        assertEquals("blue", metadata.get("team"));
        assertEquals("", metadata.get("ready"));
        assertNull(metadata.get("missing"));
        assertEquals(List.of("team=blue", "score=0", "ready="), entries());

        assertTrue(metadata.put("score", null), "null removes");
        assertFalse(metadata.put("score", null), "nothing to remove");
        assertEquals(List.of("team=blue", "ready="), entries());
        assertNull(metadata.keys()[2], "no reference kept past the count");
    }

    @Test
    void refusesKeysAndValuesBeyondTheirLimits()
    {
        assertTrue(metadata.put("k".repeat(32), "v".repeat(64)));
        assertTrue(metadata.put("é".repeat(16), "é".repeat(32)), "limits are UTF-8 bytes");
        assertThrows(IllegalArgumentException.class, () -> metadata.put("k".repeat(33), "v"));
        assertThrows(IllegalArgumentException.class, () -> metadata.put("é".repeat(17), "v"));
        assertThrows(IllegalArgumentException.class, () -> metadata.put("key", "v".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> metadata.put("key", "é".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> metadata.put("", "v"));
        assertThrows(IllegalArgumentException.class, () -> metadata.put(null, "v"));
        assertEquals(2, metadata.count());
    }

    @Test
    void refusesTextTheProtocolCannotCarry()
    {
        for (final String bad : List.of("a\nb", "tab\t", "\u007F", "\u0085", "\u009F", "\uD800", "x\uDC00y",
            "\uDBFF"))
        {
            assertThrows(IllegalArgumentException.class, () -> metadata.put("key", bad), bad);
            assertThrows(IllegalArgumentException.class, () -> metadata.put(bad, "v"), bad);
        }
        assertTrue(metadata.put("emoji", "\uD83D\uDE00"), "a surrogate pair is fine");
        assertEquals(1, metadata.count());
    }

    @Test
    void refusesAnEntryBeyondTheLimitButStillUpdatesAndRemoves()
    {
        for (int i = 0; i < Player.MAX_METADATA_ENTRIES; i++)
        {
            assertTrue(metadata.put("k" + i, "v"));
        }
        assertThrows(IllegalArgumentException.class, () -> metadata.put("one-more", "v"));
        assertTrue(metadata.put("k3", "changed"));
        assertTrue(metadata.put("k0", null));
        assertTrue(metadata.put("one-more", "v"));
        assertEquals(Player.MAX_METADATA_ENTRIES, metadata.count());
        assertEquals("one-more=v", entries().get(Player.MAX_METADATA_ENTRIES - 1));
    }

    private List<String> entries()
    {
        final List<String> entries = new ArrayList<>();
        for (int i = 0; i < metadata.count(); i++)
        {
            entries.add(metadata.keys()[i] + "=" + metadata.values()[i]);
        }
        assertEquals(metadata.count(), Arrays.stream(metadata.keys()).filter(key -> key != null).count());
        return entries;
    }
}
