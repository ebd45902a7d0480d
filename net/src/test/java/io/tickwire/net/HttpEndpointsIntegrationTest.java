package io.tickwire.net;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.arena.ArenaConfig;
import org.junit.jupiter.api.AfterEach;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} and {@code /rooms} of a live server (two shards, a pinned demo room) after a short bot run.
 */
class HttpEndpointsIntegrationTest
{
    private static final int SHARDS = 2;
    private static final int BOTS = 8;
    private static final int ROOMS = 2;

    private final HttpClient http = HttpClient.newHttpClient();
    private TickwireServer server;

    @AfterEach
    void tearDown()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void metricsAndRoomsReflectAShortRun() throws Exception
    {
        final ServerConfig config = new ServerConfig(
            "127.0.0.1", 0, 1, SHARDS, List.of("demo"), 30, 32 * 1024, 64 * 1024, 120, ShardConfig.defaults(),
            ArenaConfig.defaults());
        server = TickwireServer.start(config, config.arena());
        final URI url = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
        final SwarmResult result = new Swarm(SwarmConfig.of(url, BOTS, ROOMS, TimeUnit.SECONDS.toNanos(2))).run();
        assertTrue(result.passed(), result.summary());

        final HttpResponse<String> metrics = get("/metrics");
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

        final HttpResponse<String> rooms = get("/rooms");
        assertEquals(200, rooms.statusCode());
        assertEquals("application/json", rooms.headers().firstValue("content-type").orElseThrow());
        final List<RoomInfo> published = new ObjectMapper().readValue(rooms.body(), new TypeReference<>()
        {
        });
        final RoomInfo demo = published.stream().filter(room -> room.name().equals("demo")).findFirst().orElseThrow();
        assertEquals(new ShardRouter(SHARDS).shardOf("demo"), demo.shard(), rooms.body());
        assertEquals(config.shard().maxClientsPerRoom(), demo.maxClients(), rooms.body());
        assertEquals(config.arena().npcsPerRoom(), demo.entities(), rooms.body());
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
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
