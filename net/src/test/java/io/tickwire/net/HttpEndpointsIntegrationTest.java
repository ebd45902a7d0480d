package io.tickwire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.sim.ShardRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} and {@code /rooms} of a live server (two shards, a pinned demo room) after a short bot run.
 */
class HttpEndpointsIntegrationTest
{
    private static final int SHARDS = 2;
    private static final int BOTS = 8;
    private static final int ROOMS = 2;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void metricsAndRoomsReflectAShortRun() throws Exception
    {
        try (LiveServer live = LiveServer.start(SHARDS, "arena:demo"))
        {
            final ServerConfig config = live.config();
            final SwarmResult result = new Swarm(
                SwarmConfig.of(live.websocketUrl(), BOTS, ROOMS, TimeUnit.SECONDS.toNanos(2))).run();
            assertTrue(result.passed(), result.summary());

            final HttpResponse<String> metrics = live.get("/metrics");
            assertEquals(200, metrics.statusCode());
            assertEquals(ServerMetrics.CONTENT_TYPE, metrics.headers().firstValue("content-type").orElseThrow());
            final String body = metrics.body();
            assertTrue(sum(body, "tickwire_ticks_total{", "") > 0, body);
            assertTrue(sum(body, "tickwire_snapshots_sent_total{", "kind=\"delta\"") > 0, body);
            assertTrue(sum(body, "tickwire_snapshot_bytes_total{", "kind=\"delta\"") > 0, body);
            assertTrue(sum(body, "tickwire_tick_duration_seconds_count{", "") > 0, body);
            assertTrue(sum(body, "tickwire_outbound_bytes_total", "") > 0, body);
            assertEquals(BOTS, sum(body, "tickwire_handshakes_total", ""), body);
            assertEquals(BOTS, sum(body, "tickwire_joins_total{", ""), body);
            assertEquals(SHARDS * 65536, sum(body, "tickwire_ring_capacity_events{", ""), body);

            final HttpResponse<String> rooms = live.get("/rooms");
            assertEquals(200, rooms.statusCode());
            assertEquals("application/json", rooms.headers().firstValue("content-type").orElseThrow());
            final JsonNode published = new ObjectMapper().readTree(rooms.body());
            JsonNode demo = null;
            for (final JsonNode room : published)
            {
                demo = "demo".equals(room.get("name").asText()) ? room : demo;
            }
            assertNotNull(demo, rooms.body());
            assertEquals("arena", demo.get("type").asText(), rooms.body());
            assertEquals(new ShardRouter(SHARDS).shardOf("demo"), demo.get("shard").asInt(), rooms.body());
            assertEquals(1000, demo.get("maxClients").asInt(), rooms.body());
            assertEquals(200, demo.get("entities").asInt(), "the arena's NPCs: " + rooms.body());
            assertEquals(SHARDS, config.shards());
        }
    }

    /**
     * @return the sum of the samples whose line starts with {@code prefix} and contains {@code label}.
     */
    private static double sum(final String body, final String prefix, final String label)
    {
        double sum = 0;
        for (final String line : body.split("\n"))
        {
            if (line.startsWith(prefix) && line.contains(label))
            {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
