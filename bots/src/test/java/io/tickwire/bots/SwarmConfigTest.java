package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarmConfigTest
{
    private static final URI URL = URI.create("ws://127.0.0.1:7777/ws");
    private static final long DURATION_NS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void threadsDefaultToTheCoresTheProcessMayRunOnAndTheTransportToAuto()
    {
        final SwarmConfig config = SwarmConfig.builder(URL).build();

        assertEquals(Runtime.getRuntime().availableProcessors(), config.threads());
        assertEquals(3, SwarmConfig.builder(URL).threads(3).build().threads());
        assertEquals(BotTransport.AUTO, config.transport());
        assertEquals(BotTransport.IO_URING, BotTransport.fromCliName("io_uring"));
        assertEquals("io_uring", BotTransport.IO_URING.cliName());
        assertNotEquals(BotTransport.AUTO, BotTransport.AUTO.resolve());
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.builder(URL).threads(-1).build());
    }

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
    void ofAndTheBuilderStartFromTheDefaults()
    {
        final SwarmConfig config = SwarmConfig.of(URL, 10, 2, DURATION_NS);

        assertEquals(SwarmConfig.DEFAULT_BEHAVIOUR, config.behaviour());
        assertEquals(0.0, config.churnPerSecond());
        assertEquals(TimeUnit.SECONDS.toNanos(1), config.pingIntervalNs());
        assertEquals(TimeUnit.SECONDS.toNanos(2), config.warmupNs());
        assertEquals(SwarmThresholds.DEFAULT, config.thresholds());
        assertEquals(SwarmConfig.DEFAULT_RAMP_PER_SECOND, config.rampPerSecond());
        assertEquals(GameKind.ARENA, config.game());
        assertEquals("arena-1", config.roomName(1));
        assertEquals(SwarmConfig.KERNEL_SEND_BUFFER, config.sendBufferBytes());
        assertEquals(config, config.toBuilder().build());
        final SwarmConfig smallBuffers = config.toBuilder().sendBufferBytes(4096).build();
        assertEquals(smallBuffers, smallBuffers.toBuilder().build());
    }

    @Test
    void theGameNamesTheRoomsUnlessAPrefixIsGiven()
    {
        final SwarmConfig tag = SwarmConfig.of(URL, 10, 3, DURATION_NS).toBuilder().game(GameKind.TAG).build();
        final SwarmConfig prefixed = tag.toBuilder().roomPrefix("x-").build();

        assertEquals("tag-", tag.roomPrefix());
        assertEquals("tag-2", tag.roomName(5));
        assertEquals("x-2", prefixed.roomName(5));
        assertEquals("x-", prefixed.toBuilder().game(GameKind.ARENA).build().roomPrefix());
        assertEquals(GameKind.TAG, GameKind.fromCliName("tag"));
        assertEquals("arena|tag", GameKind.cliNames());
    }

    @Test
    void withChurnChangesOnlyTheChurn()
    {
        final SwarmConfig config = SwarmConfig.of(URL, 10, 2, DURATION_NS);

        final SwarmConfig churning = config.withChurn(0.25);

        assertEquals(0.25, churning.churnPerSecond());
        assertEquals(config, churning.withChurn(0));
    }

    @Test
    void botsPerRoomGivesTheFewestRoomsThatHoldEveryBot()
    {
        assertEquals(3, SwarmConfig.roomsFor(10, 4));
        assertEquals(2, SwarmConfig.roomsFor(10, 5));
        assertEquals(1, SwarmConfig.roomsFor(10, 100));
        assertEquals(10_000, SwarmConfig.roomsFor(10_000, 1));

        final SwarmConfig config = SwarmConfig.of(URL, 10, SwarmConfig.roomsFor(10, 4), DURATION_NS);
        final int[] botsInRoom = new int[config.rooms()];
        for (int i = 0; i < config.bots(); i++)
        {
            botsInRoom[Integer.parseInt(config.roomName(i).substring(config.roomPrefix().length()))]++;
        }
        for (final int count : botsInRoom)
        {
            assertEquals(true, count <= 4 && count >= 3, "bots in a room: " + count);
        }
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.roomsFor(10, 0));
    }

    @Test
    void wssIsTlsOnPort443UnlessTheUrlNamesOne()
    {
        final SwarmConfig secure = SwarmConfig.of(URI.create("wss://h/ws"), 1, 1, DURATION_NS);
        assertTrue(secure.isTls());
        assertEquals(443, secure.port());
        assertEquals(8443, SwarmConfig.of(URI.create("wss://h:8443/ws"), 1, 1, DURATION_NS).port());
        assertFalse(SwarmConfig.of(URL, 1, 1, DURATION_NS).isTls());
    }

    @Test
    void rejectsWhatCannotRun()
    {
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URI.create("http://h:1/ws"), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URI.create("ftp://h:1/ws"), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URI.create("ws:/ws"), 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, 0, 1, DURATION_NS));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, 1, 0, DURATION_NS));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.of(URL, SwarmConfig.MAX_BOTS + 1, 1, 1));
        final SwarmConfig.Builder builder = SwarmConfig.builder(URL);
        assertThrows(IllegalArgumentException.class,
            () -> builder.roomPrefix("a-room-prefix-that-is-far-too-long").build());
        assertThrows(IllegalArgumentException.class,
            () -> SwarmConfig.builder(URL).inputRateHz(SwarmConfig.MAX_INPUT_RATE_HZ + 1).build());
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.builder(URL).sendBufferBytes(-1).build());
        assertThrows(IllegalArgumentException.class,
            () -> SwarmConfig.builder(URL).sendBufferBytes(SwarmConfig.MAX_SEND_BUFFER_BYTES + 1).build());
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.builder(URL).churnPerSecond(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.builder(URL).churnPerSecond(1.5).build());
        assertThrows(IllegalArgumentException.class,
            () -> SwarmConfig.builder(URL).churnPerSecond(Double.NaN).build());
        assertThrows(IllegalArgumentException.class,
            () -> SwarmConfig.builder(URL).pingIntervalNs(TimeUnit.MILLISECONDS.toNanos(1)).build());
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.builder(URL).warmupNs(-1).build());
        assertThrows(IllegalArgumentException.class, () -> SwarmConfig.builder(URL).behaviour(null).build());
        assertThrows(IllegalArgumentException.class, () -> new SwarmThresholds(
            -1, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
        assertThrows(IllegalArgumentException.class, () -> new SwarmThresholds(
            0, OptionalDouble.of(-1), OptionalDouble.empty(), OptionalDouble.empty()));
        assertThrows(IllegalArgumentException.class, () -> new SwarmThresholds(
            0, OptionalDouble.empty(), OptionalDouble.of(Double.NaN), OptionalDouble.empty()));
    }

    @Test
    void behavioursGoByTheirCommandLineNames()
    {
        assertEquals(Behaviour.RANDOM_WALK, Behaviour.fromCliName("random-walk"));
        assertEquals(Behaviour.CHASE, Behaviour.fromCliName("chase"));
        assertEquals(Behaviour.IDLE, Behaviour.fromCliName("idle"));
        assertEquals("random-walk|chase|idle", Behaviour.cliNames());
        assertThrows(IllegalArgumentException.class, () -> Behaviour.fromCliName("RANDOM_WALK"));
        assertEquals(StandStill.INSTANCE, Behaviour.IDLE.script(1, 2));
    }
}
