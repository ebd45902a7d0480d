package io.tickwire.examples.koth;

import io.tickwire.api.GameSettings;
import io.tickwire.bots.GameKind;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.net.ServerConfig;
import io.tickwire.net.TickwireServer;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * King of the hill, found on the class path by the server like any game jar, on a live server on an ephemeral
 * loopback port, played by real bots that know nothing of it: they walk with its {@code moveX}/{@code moveY} inputs,
 * decode its snapshots from the schema in the welcome, and check its presence and message streams.
 */
class KothLiveTest
{
    private static final int BOTS = 12;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theServerFindsTheGameAndBotsPlayItWithoutErrors() throws Exception
    {
        final GameCatalog catalog = GameCatalog.load(
            KothLiveTest.class.getClassLoader(), List.of("koth"), name -> new GameSettings(30, 42, Map.of()));
        final ServerConfig config = new ServerConfig(
            "127.0.0.1", 0, 1, 1, List.of("koth:hill"), 100, 30, 32 * 1024, 64 * 1024,
            ServerConfig.defaultMaxMessagesPerSecond(30, catalog), ShardConfig.defaults());
        try (TickwireServer server = TickwireServer.start(config, catalog))
        {
            final URI url = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
            final SwarmResult result = new Swarm(SwarmConfig.builder(url)
                .bots(BOTS).rooms(2).roomType("koth").game(GameKind.ARENA)
                .durationNs(TimeUnit.SECONDS.toNanos(4)).build()).run();

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertTrue(result.passed(), result.summary());
            assertEquals(BOTS, result.joinedCount(), result.summary());
            assertEquals(0, result.checksumMismatches(), result.summary());
            assertEquals(0, result.presenceMismatches(), result.summary());
            assertTrue(result.deltaSnapshots() > 0, result.summary());
            assertEquals(2, result.presenceRooms(), "both rooms' presence lists were compared: " + result.summary());
            assertEquals(0, server.errorCount());
            assertEquals(0, server.netCounters().invalidMessagesTotal());
        }
    }
}
