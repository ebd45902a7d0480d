package io.tickwire.net;

import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.sim.ShardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared snapshot bodies end to end: a live server with interest off (every bot sees every entity, so bots that
 * acknowledged the same snapshot share one body), real bots over loopback that decode every snapshot and check its
 * view checksum. The frames written as a header plus a reference-counted body decode as whole snapshots, no
 * checksum differs, and {@code /metrics} shows bodies shared and reused.
 */
class SharedBodiesLiveTest
{
    private static final int BOTS = 12;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void botsDecodeSharedBodiesWithoutAChecksumMismatch() throws Exception
    {
        try (LiveServer live = LiveServer.start(config(), LiveServer.catalog()))
        {
            final SwarmResult result = new Swarm(
                SwarmConfig.of(live.websocketUrl(), BOTS, 1, TimeUnit.SECONDS.toNanos(3))).run();
            assertTrue(result.passed(), result.summary());
            assertEquals(0, result.checksumMismatches(), result.summary());
            assertTrue(result.deltaSnapshots() > BOTS * 30L, result.summary());

            final HttpResponse<String> metrics = live.get("/metrics");
            final String body = metrics.body();
            assertTrue(sum(body, "tickwire_snapshot_bodies_shared_total{") > 0, body);
            assertTrue(sum(body, "tickwire_snapshot_bodies_reused_total{") > BOTS * 10L, body);
            assertTrue(body.contains("tickwire_overload_level{"), body);
            assertTrue(body.contains("tickwire_clients_reduced_rate{"), body);
            assertTrue(body.contains("tickwire_snapshots_skipped_overload_total{"), body);
        }
    }

    private static ServerConfig config()
    {
        final ServerConfig base = LiveServer.config(1);
        final ShardConfig d = base.shard();
        final ShardConfig interestOff = new ShardConfig(d.tickRateHz(), d.maxCatchUpTicks(), d.ringCapacity(),
            d.maxRoomsPerShard(), d.maxInputsPerTick(), d.pendingInputCapacity(), d.historyWindowTicks(), 0,
            d.viewHysteresis(), d.maxEntitiesPerSnapshot(), d.checksums(), d.maxUnackedMessages(), d.seed());
        return new ServerConfig(base.host(), base.port(), base.ioThreads(), base.shards(), base.pinnedRooms(),
            base.maxRooms(), base.idleTimeoutSeconds(), base.writeBufferLowBytes(), base.writeBufferHighBytes(),
            base.maxMessagesPerSecond(), interestOff);
    }

    private static double sum(final String body, final String prefix)
    {
        double sum = 0;
        for (final String line : body.split("\n"))
        {
            if (line.startsWith(prefix))
            {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
