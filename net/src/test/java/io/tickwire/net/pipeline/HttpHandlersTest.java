package io.tickwire.net.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.tickwire.api.GameSettings;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.EventLoopOutbounds;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.net.ServerMetrics;
import io.tickwire.net.ShardSupervisor;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.PinnedRoom;
import io.tickwire.sim.RoomQuota;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.TickInputGather;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The HTTP handlers in an {@link EmbeddedChannel}; the metrics and rooms come from a shard with a pinned demo room,
 * driven by hand with a fake clock.
 */
class HttpHandlersTest
{
    private static final ShardConfig SHARD_CONFIG = ShardConfig.defaults();

    private final NetCounters counters = new NetCounters();
    private final ShardCounters shardCounters = new ShardCounters();
    private final InputRing ring = new InputRing(64);
    private final ServerMetrics metrics = new ServerMetrics(counters);
    private long nowNs = 1_000;
    private final GameCatalog catalog = GameCatalog.load(
        HttpHandlersTest.class.getClassLoader(), List.of("arena", "tag"), name -> new GameSettings(30, 42, Map.of()));
    private final EventLoopOutbounds outbounds = new EventLoopOutbounds();
    private final ShardAgent shard = new ShardAgent(
        0, SHARD_CONFIG, catalog, new RoomQuota(100, catalog), ring, new ShardRouter(1), () -> nowNs,
        error -> fail(error), shardCounters,
        List.of(new PinnedRoom(catalog.get("arena"), "demo"), new PinnedRoom(catalog.get("tag"), "tag-lobby")),
        TickInputGather.NONE, outbounds);

    private final ShardSupervisor supervisor = new ShardSupervisor(
        new ShardAgent[] {shard}, new ShardCounters[] {shardCounters},
        new Gateway(new InputRing[] {ring}, new ShardRouter(1), catalog, counters, shard::publishedRooms, outbounds),
        () -> nowNs, SHARD_CONFIG.tickPeriodNs());

    HttpHandlersTest()
    {
        metrics.bindShard(0, shardCounters, ring, shard.tickTimings());
    }

    @Test
    void healthAnswers200AndKeepsTheConnection()
    {
        final EmbeddedChannel channel = newEndpointChannel();
        channel.writeInbound(request("/health?probe=1"));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.OK, response.status());
        assertEquals("ok\n", response.content().toString(CharsetUtil.UTF_8));
        response.release();
        assertTrue(channel.isActive());
        assertEquals(1, counters.healthRequests.get());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void healthAnswers503NamingAShardThatStoppedTickingAnd200OnceItTicksAgain()
    {
        final EmbeddedChannel channel = newEndpointChannel();
        nowNs += supervisor.stallLimitNs();
        assertEquals("ok\n", health(channel, HttpResponseStatus.OK), "at the limit");

        nowNs += TimeUnit.MILLISECONDS.toNanos(500);
        final long sinceTickMs = TimeUnit.NANOSECONDS.toMillis(supervisor.stallLimitNs()) + 500;
        assertEquals("shard 0: stalled, no tick for " + sinceTickMs + " ms\n",
            health(channel, HttpResponseStatus.SERVICE_UNAVAILABLE));

        shard.doWork();
        assertEquals("ok\n", health(channel, HttpResponseStatus.OK));
        assertFalse(channel.finishAndReleaseAll());
    }

    private String health(final EmbeddedChannel channel, final HttpResponseStatus status)
    {
        channel.writeInbound(request("/health"));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(status, response.status());
        final String body = response.content().toString(CharsetUtil.UTF_8);
        response.release();
        assertTrue(channel.isActive(), "a health answer keeps the connection");
        return body;
    }

    @Test
    void anythingElseIs404AndClosed()
    {
        final EmbeddedChannel channel = newEndpointChannel();
        channel.writeInbound(request("/admin"));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.NOT_FOUND, response.status());
        response.release();
        assertFalse(channel.isActive());
        assertEquals(1, counters.httpNotFound.get());
    }

    @Test
    void serverTellsTheSettingsAClientNeedsAndNoSecret() throws IOException
    {
        final EmbeddedChannel channel = newEndpointChannel();
        final JsonNode server = new ObjectMapper().readTree(get(channel, "/server", "application/json"));
        assertEquals(Set.of("tickRateHz", "viewRadiusUnits", "viewHysteresisUnits", "maxViewEntities",
            "resumeGraceMs", "tokensRequired", "roomTypes"), fieldNames(server));
        assertEquals(30, server.get("tickRateHz").asInt());
        assertEquals(SHARD_CONFIG.viewRadius(), server.get("viewRadiusUnits").asDouble());
        assertEquals(SHARD_CONFIG.viewHysteresis(), server.get("viewHysteresisUnits").asDouble());
        assertEquals(SHARD_CONFIG.maxEntitiesPerSnapshot(), server.get("maxViewEntities").asInt());
        assertEquals(SHARD_CONFIG.resumeGraceNs() / 1_000_000, server.get("resumeGraceMs").asLong());
        assertTrue(server.get("tokensRequired").asBoolean());
        assertEquals(2, server.get("roomTypes").size());
        for (final JsonNode type : server.get("roomTypes"))
        {
            assertEquals(Set.of("name", "maxClients"), fieldNames(type));
            assertEquals(catalog.get(type.get("name").asText()).maxClients(), type.get("maxClients").asInt());
        }
        assertEquals(1, counters.serverInfoRequests.get());
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat()
    {
        for (int i = 0; i < 3; i++)
        {
            shard.doWork();
            nowNs += SHARD_CONFIG.tickPeriodNs();
        }
        counters.onInvalidMessage(ClientMessageError.BAD_BODY);
        counters.onInvalidMessage(ClientMessageError.BAD_BODY);

        final EmbeddedChannel channel = newEndpointChannel();
        final String body = get(channel, "/metrics", ServerMetrics.CONTENT_TYPE);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", ServerMetrics.CONTENT_TYPE);
        assertEquals(3, sample(body, "tickwire_ticks_total{shard=\"0\"}"), body);
        assertEquals(2, sample(body, "tickwire_rooms{shard=\"0\"}"), body);
        assertEquals(64, sample(body, "tickwire_ring_capacity_events{shard=\"0\"}"), body);
        assertEquals(0, sample(body, "tickwire_ring_occupancy_events{shard=\"0\"}"), body);
        assertEquals(0, sample(body, "tickwire_ring_refused_events_total{shard=\"0\"}"), body);
        assertEquals(2, sample(body, "tickwire_invalid_messages_total{reason=\"BAD_BODY\"}"), body);
        assertEquals(0, sample(body, "tickwire_invalid_messages_total{reason=\"RATE_LIMITED\"}"), body);
        assertEquals(3, sample(body, "tickwire_tick_duration_seconds_count{shard=\"0\"}"), body);
        assertEquals(0, sample(body, "tickwire_tick_duration_seconds{shard=\"0\",quantile=\"0.99\"}"), body);
        assertEquals(0, sample(body, "tickwire_tick_lateness_seconds_max{shard=\"0\"}"), body);
        assertEquals(1, sample(body, "tickwire_http_requests_total{endpoint=\"metrics\"}"), body);
        assertTrue(body.contains("# TYPE tickwire_tick_duration_seconds summary"), body);

        final String next = get(channel, "/metrics", ServerMetrics.CONTENT_TYPE);
        assertEquals(sample(body, "tickwire_tick_duration_seconds{shard=\"0\",quantile=\"0.5\"}"),
            sample(next, "tickwire_tick_duration_seconds{shard=\"0\",quantile=\"0.5\"}"),
            "a scrape within a second of the last reuses its sample instead of emptying the window: " + next);
        assertEquals(3, sample(next, "tickwire_tick_duration_seconds_count{shard=\"0\"}"), next);
        assertEquals(2, counters.metricsRequests.get());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void roomsAreServedAsJsonFromWhatTheShardsPublished() throws IOException
    {
        final EmbeddedChannel channel = newEndpointChannel();
        final JsonNode rooms = new ObjectMapper().readTree(get(channel, "/rooms", "application/json"));
        assertTrue(rooms.isArray(), rooms.toString());
        assertEquals(2, rooms.size(), rooms.toString());
        final JsonNode demo = rooms.get(0);
        assertEquals(Set.of("name", "type", "clients", "maxClients", "open", "locked", "shard", "tick", "entities",
            "metadata"), fieldNames(demo));
        assertEquals("demo", demo.get("name").asText());
        assertEquals("arena", demo.get("type").asText());
        assertEquals(0, demo.get("shard").asInt());
        assertEquals(catalog.get("arena").maxClients(), demo.get("maxClients").asInt());
        assertEquals(0, demo.get("clients").asInt());
        assertTrue(demo.get("open").asBoolean());
        assertEquals(1, counters.roomsRequests.get());

        final JsonNode tagRooms = new ObjectMapper().readTree(get(channel, "/rooms?type=tag&open=true",
            "application/json"));
        assertEquals(1, tagRooms.size(), tagRooms.toString());
        assertEquals("tag-lobby", tagRooms.get(0).get("name").asText());
        assertEquals("team-tag", tagRooms.get(0).get("metadata").get("mode").asText(), tagRooms.toString());
        assertEquals(0, new ObjectMapper().readTree(get(channel, "/rooms?type=chess", "application/json")).size());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anEndpointAnswersOnlyGetWith405AndCloses()
    {
        final EmbeddedChannel channel = newEndpointChannel();
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/metrics"));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.METHOD_NOT_ALLOWED, response.status());
        assertEquals("GET", response.headers().get(HttpHeaderNames.ALLOW));
        response.release();
        assertFalse(channel.isActive());
        assertEquals(1, counters.httpMethodNotAllowed.get());
        assertEquals(0, counters.metricsRequests.get());
    }

    @Test
    void upgradeWithoutTheSubprotocolIsRefusedWith400()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new UpgradeGuard("/ws", counters));
        final FullHttpRequest request = request("/ws");
        request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "tickwire.v0, chat");
        channel.writeInbound(request);
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.BAD_REQUEST, response.status());
        assertTrue(response.content().toString(CharsetUtil.UTF_8).contains(WireFormat.SUBPROTOCOL));
        response.release();
        assertEquals(0, request.refCnt());
        assertFalse(channel.isActive());
        assertEquals(1, counters.handshakesRefused.get());
    }

    @Test
    void upgradeOfferingTheSubprotocolPassesThrough()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new UpgradeGuard("/ws", counters));
        final FullHttpRequest request = request("/ws");
        request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "other, " + WireFormat.SUBPROTOCOL);
        channel.writeInbound(request);
        final FullHttpRequest passed = channel.readInbound();
        assertSame(request, passed);
        passed.release();
        assertTrue(channel.isActive());
    }

    private EmbeddedChannel newEndpointChannel()
    {
        return new EmbeddedChannel(
            new HttpEndpointHandler(counters, metrics, shard::publishedRooms, supervisor::problems,
                ServerInfo.of(SHARD_CONFIG, true, catalog)),
            new StaticFileHandler(counters, HttpHandlersTest.class.getClassLoader(), "tickwire/test-web/"));
    }

    /**
     * GETs {@code path}, expects 200 with {@code contentType} on a connection kept open, and returns the body.
     */
    private static String get(final EmbeddedChannel channel, final String path, final String contentType)
    {
        channel.writeInbound(request(path));
        final FullHttpResponse response = channel.readOutbound();
        try
        {
            assertEquals(HttpResponseStatus.OK, response.status());
            assertEquals(contentType, response.headers().get(HttpHeaderNames.CONTENT_TYPE));
            assertTrue(channel.isActive());
            return response.content().toString(CharsetUtil.UTF_8);
        }
        finally
        {
            response.release();
        }
    }

    /**
     * @return the value of the sample line starting with {@code series} (metric name and labels as written).
     */
    private static double sample(final String body, final String series)
    {
        for (final String line : body.split("\n"))
        {
            if (line.startsWith(series + " "))
            {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return fail("no sample " + series + " in\n" + body);
    }

    private static Set<String> fieldNames(final JsonNode node)
    {
        final List<String> names = new ArrayList<>();
        final Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return Set.copyOf(names);
    }

    private static FullHttpRequest request(final String uri)
    {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
