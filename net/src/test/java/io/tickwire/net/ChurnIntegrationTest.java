package io.tickwire.net;

import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.sim.ShardCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server and a swarm whose bots drop their connections at random and come back with backoff: every
 * snapshot of every connection verifies, and every bot that dropped rejoined.
 */
class ChurnIntegrationTest
{
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyBotThatDroppedComesBackAndNoChecksumEverMismatches() throws Exception
    {
        try (LiveServer live = LiveServer.start(1))
        {
            final TickwireServer server = live.server();
            final SwarmResult result = new Swarm(
                SwarmConfig.of(live.websocketUrl(), 40, 2, TimeUnit.SECONDS.toNanos(6)).withChurn(0.1)).run();

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertTrue(result.passed(), result.summary());
            assertEquals(0, result.checksumMismatches(), result.summary());
            assertTrue(result.droppedBots() >= 5, result.summary());
            assertEquals(result.droppedBots(), result.returnedBots(), result.summary());
            assertTrue(result.reconnects() >= result.droppedBots(), result.summary());

            final ShardCounters counters = server.shardCounters(0);
            assertTrue(counters.joins.get() >= 40 + result.reconnects(), "every reconnect joined again");
            assertEquals(0, counters.errors.get());
            assertEquals(0, server.netCounters().invalidMessagesTotal());
        }
    }
}
