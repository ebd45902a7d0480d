package io.tickwire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.cluster.ClusterConfig;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Notice;
import io.tickwire.testsupport.RedisServer;
import io.tickwire.testsupport.RedisServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One clustered server in this JVM on a real Redis: {@code POST /matchmake}, the upgrade with the reservation it
 * signed (once: a second use is 410, none is 401), the JOIN, the cluster-wide {@code /rooms} and the cluster
 * metrics; a node that Redis reaped while alive closes its sessions (NOTICE 12, 1001) and joins again under a new id;
 * a closed server leaves no key behind.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusteredServerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET =
        "0123456789abcdef0123456789abcdef-clustered-server-test".getBytes(StandardCharsets.UTF_8);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String prefix = RedisServerExtension.uniquePrefix();
    private final RedisServer redis;
    private TickwireServer server;
    private int port;

    ClusteredServerTest(final RedisServer redis)
    {
        this.redis = redis;
    }

    @BeforeEach
    void startNode() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort();
        }
        final ServerConfig config = LiveServer.config(1);
        server = TickwireServer.start(new ServerConfig(config.host(), port, 1, 1, List.of(), config.maxRooms(),
            config.idleTimeoutSeconds(), config.writeBufferLowBytes(), config.writeBufferHighBytes(),
            config.maxMessagesPerSecond(), config.shard()), LiveServer.catalog(),
            ClusterConfig.builder(redis.uri(), "127.0.0.1:" + port, "ws://127.0.0.1:" + port + "/ws", SECRET)
                .prefix(prefix).build());
    }

    @AfterEach
    void stopNode()
    {
        server.close();
        assertEquals(List.of(), redis.keys(prefix), "no key left once the node left");
    }

    @Test
    void aMatchmadeReservationOpensOneSessionInTheReservedRoom() throws Exception
    {
        assertEquals("ok", get("/health").strip(), "healthy once the node is in the directory");
        final JsonNode seat = matchmake("{\"type\":\"arena\",\"room\":\"new\",\"name\":\"ann\"}");
        final String room = seat.get("room").asText();
        assertEquals("ws://127.0.0.1:" + port + "/ws", seat.get("url").asText());
        assertEquals(server.nodeId(), seat.get("node").asText());
        assertTrue(seat.get("subject").asText().startsWith("anon:"));

        final WsTestClient client = WsTestClient.connect(
            URI.create(seat.get("url").asText()), "tickwire.rsv." + seat.get("reservation").asText());
        client.join("arena", room);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.welcomes.size() == 1 && client.snapshots.get() > 0);

        assertEquals(410, upgradeStatus("tickwire.rsv." + seat.get("reservation").asText()), "used once");
        assertEquals(401, upgradeStatus(null), "none");

        await("the room listed cluster-wide").atMost(Duration.ofSeconds(5)).until(() ->
        {
            final JsonNode rooms = JSON.readTree(get("/rooms?type=arena"));
            return rooms.size() == 1 && room.equals(rooms.get(0).get("name").asText()) &&
                server.nodeId().equals(rooms.get(0).get("node").asText()) && rooms.get(0).get("clients").asInt() == 1;
        });
        System.gc(); // Micrometer holds each meter's source weakly: the cluster's must survive a collection
        final String metrics = get("/metrics");
        assertTrue(metrics.contains("tickwire_cluster_matchmakes_total{result=\"OK\"} 1.0"), metrics);
        assertTrue(metrics.contains("tickwire_matchmake_requests_total{result=\"reserved\"} 1.0"), metrics);
        assertTrue(metrics.contains("tickwire_refusals_total{reason=\"RESERVATION_USED\"} 1.0"), metrics);
        assertTrue(metrics.contains("tickwire_refusals_total{reason=\"RESERVATION_MISSING\"} 1.0"), metrics);
        client.abort();
    }

    @Test
    void aNodeReapedWhileAliveClosesItsSessionsAndJoinsAgainUnderANewId() throws Exception
    {
        final JsonNode seat = matchmake("{\"type\":\"tag\",\"room\":\"reaped\"}");
        final WsTestClient client = WsTestClient.connect(
            URI.create(seat.get("url").asText()), "tickwire.rsv." + seat.get("reservation").asText());
        client.join("tag", "reaped");
        await().atMost(Duration.ofSeconds(5)).until(() -> client.snapshots.get() > 0);
        final String firstId = server.nodeId();

        redis.command("ZREM", prefix + "nodes", firstId);
        assertEquals(CloseCodes.GOING_AWAY, client.closeStatus.get(5, TimeUnit.SECONDS));
        assertEquals(Notice.CODE_SERVER_DRAINING, client.lastNoticeCode());
        await("a new node id in the directory").atMost(Duration.ofSeconds(10)).until(() ->
            server.nodeId() != null && !firstId.equals(server.nodeId()) &&
            ((List<?>)redis.command("ZRANGE", prefix + "nodes", "0", "-1")).contains(server.nodeId()));
        assertNotEquals(firstId, server.nodeId());
        assertEquals(200, matchmakeStatus("{\"type\":\"tag\",\"room\":\"again\"}"), "serves again");
    }

    private int upgradeStatus(final String protocol) throws Exception
    {
        final ExecutionException refused = assertThrows(ExecutionException.class, () ->
        {
            if (protocol == null)
            {
                WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"));
            }
            else
            {
                WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws"), protocol);
            }
        });
        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode();
    }

    private JsonNode matchmake(final String body) throws Exception
    {
        final HttpResponse<String> response = post(body);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private int matchmakeStatus(final String body) throws Exception
    {
        return post(body).statusCode();
    }

    private HttpResponse<String> post(final String body) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/matchmake"))
            .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
