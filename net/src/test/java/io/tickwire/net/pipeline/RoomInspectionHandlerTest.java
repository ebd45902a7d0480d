package io.tickwire.net.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.tickwire.api.GameSettings;
import io.tickwire.net.EventLoopOutbounds;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.RoomInspection;
import io.tickwire.sim.ShardRouter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The room inspection handler in {@link EmbeddedChannel}s, with a ring nobody drains but the test: a request goes
 * into the owning shard's ring and the connection stops reading; the answer the "shard" completes is written on the
 * channel's loop; more than {@link RoomInspectionHandler#MAX_IN_FLIGHT} pending requests are refused with 503; a room
 * the shard lacks is 404. Every request and response buffer is released.
 */
class RoomInspectionHandlerTest
{
    private final NetCounters counters = new NetCounters();
    private final InputRing ring = new InputRing(64);
    private final RoomInspectionHandler handler = new RoomInspectionHandler(
        new Gateway(new InputRing[] {ring}, new ShardRouter(1), GameCatalog.load(
            RoomInspectionHandlerTest.class.getClassLoader(), List.of("arena"),
            name -> new GameSettings(30, 42, Map.of())),
            counters, List::of, new EventLoopOutbounds()),
        List::of);

    @Test
    void theShardsAnswerIsWrittenAsJsonAndReadingResumes() throws Exception
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new ReadDriver(), handler);
        final FullHttpRequest request = get("/rooms/demo%20room");
        channel.writeInbound(request);
        assertEquals(0, request.refCnt());
        assertNull(channel.readOutbound(), "no answer before the shard's");
        assertFalse(ReadDriver.isReading(channel), "the connection waits for its answer");

        final List<RoomInspection> pending = drain();
        assertEquals(1, pending.size());
        assertEquals("demo room", pending.get(0).roomName());
        pending.get(0).answer().complete(new RoomInspection.View("demo room", "arena", 42, List.of(
            new RoomInspection.PlayerView(1, "ann", 7, Map.of("x", 160, "y", 320)))));
        channel.runPendingTasks();

        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.OK, response.status());
        final JsonNode view = new ObjectMapper().readTree(response.content().toString(CharsetUtil.UTF_8));
        assertEquals("arena", view.get("type").asText());
        assertEquals(42, view.get("tick").asLong());
        final JsonNode ann = view.get("players").get(0);
        assertEquals(1, ann.get("playerId").asInt());
        assertEquals("ann", ann.get("name").asText());
        assertEquals(7, ann.get("entityId").asInt());
        assertEquals(320, ann.get("fields").get("y").asInt());
        assertTrue(response.release());
        assertTrue(ReadDriver.isReading(channel));
        assertTrue(channel.isActive());
        assertEquals(1, counters.roomInspections.get());
    }

    @Test
    void aRoomTheShardLacksIs404()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new ReadDriver(), handler);
        channel.writeInbound(get("/rooms/nowhere"));
        drain().get(0).answer().complete(null);
        channel.runPendingTasks();
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.NOT_FOUND, response.status());
        assertTrue(response.release());
        assertFalse(channel.isActive());
    }

    @Test
    void moreThanTheBoundInFlightAreRefusedWith503UntilAnswered()
    {
        final List<EmbeddedChannel> waiting = new ArrayList<>();
        for (int i = 0; i < RoomInspectionHandler.MAX_IN_FLIGHT; i++)
        {
            final EmbeddedChannel channel = new EmbeddedChannel(new ReadDriver(), handler);
            channel.writeInbound(get("/rooms/demo"));
            waiting.add(channel);
        }
        final EmbeddedChannel refused = new EmbeddedChannel(new ReadDriver(), handler);
        final FullHttpRequest request = get("/rooms/demo");
        refused.writeInbound(request);
        final FullHttpResponse busy = refused.readOutbound();
        assertEquals(HttpResponseStatus.SERVICE_UNAVAILABLE, busy.status());
        assertTrue(busy.release());
        assertEquals(0, request.refCnt());
        assertFalse(refused.isActive());
        assertEquals(1, counters.roomInspectionsRefused.get());

        final List<RoomInspection> pending = drain();
        assertEquals(RoomInspectionHandler.MAX_IN_FLIGHT, pending.size(), "the refused one never reached the ring");
        for (int i = 0; i < pending.size(); i++)
        {
            pending.get(i).answer().complete(null);
            waiting.get(i).runPendingTasks();
            ((FullHttpResponse)waiting.get(i).readOutbound()).release();
        }
        final EmbeddedChannel again = new EmbeddedChannel(new ReadDriver(), handler);
        again.writeInbound(get("/rooms/demo"));
        assertEquals(1, drain().size(), "answered inspections free their places");
    }

    @Test
    void aBadNameIs404AndAnotherMethod405()
    {
        for (final String uri : new String[] {"/rooms/", "/rooms/" + "a".repeat(33), "/rooms/%ZZ", "/rooms/%0A"})
        {
            final EmbeddedChannel channel = new EmbeddedChannel(new ReadDriver(), handler);
            channel.writeInbound(get(uri));
            final FullHttpResponse response = channel.readOutbound();
            assertEquals(HttpResponseStatus.NOT_FOUND, response.status(), uri);
            response.release();
        }
        final EmbeddedChannel channel = new EmbeddedChannel(new ReadDriver(), handler);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/rooms/demo"));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.METHOD_NOT_ALLOWED, response.status());
        response.release();
        assertEquals(0, drain().size());
    }

    @Test
    void otherPathsPassUntouched()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new ReadDriver(), handler);
        final FullHttpRequest request = get("/rooms");
        channel.writeInbound(request);
        final FullHttpRequest passed = channel.readInbound();
        assertEquals(request, passed);
        passed.release();
    }

    private List<RoomInspection> drain()
    {
        final List<RoomInspection> inspections = new ArrayList<>();
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                assertEquals(InputEvent.INSPECT, event.type());
                inspections.add(event.inspection());
            }
        });
        return inspections;
    }

    private static FullHttpRequest get(final String uri)
    {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
