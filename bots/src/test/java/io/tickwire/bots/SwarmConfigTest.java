package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SwarmConfigTest
{
    private static final URI URL = URI.create("ws://127.0.0.1:7777/ws");
    private static final long DURATION_NS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void spreadsBotsOverRoomsAndConnectsThemAtTheRampRate()
    {
        final SwarmConfig config = SwarmConfig.of(URL, 200, 4, DURATION_NS);

        assertEquals("arena-0", config.roomName(0));
        assertEquals("arena-3", config.roomName(3));
        assertEquals("arena-1", config.roomName(5));
        assertEquals("bot-17", SwarmConfig.playerName(17));
        assertEquals(0, config.connectDelayNs(0));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(150), config.connectDelayNs(150));
        assertEquals(7777, config.port());
        assertEquals(80, SwarmConfig.of(URI.create("ws://localhost/ws"), 1, 1, DURATION_NS).port());
    }

    @Test
    void rejectsWhatCannotRun()
    {
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URI.create("http://h:1/ws"), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URI.create("wss://h:1/ws"), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URI.create("ws:/ws"), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, 0, 1, DURATION_NS));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, 1, 0, DURATION_NS));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, SwarmConfig.MAX_BOTS + 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SwarmConfig(
            URL, 1, 1, "a-room-prefix-that-is-far-too-long", DURATION_NS, 1, 1, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SwarmConfig(
            URL, 1, 1, "arena-", DURATION_NS, 1, 1, SwarmConfig.MAX_INPUT_RATE_HZ + 1, 1, 1, 1));
    }
}
