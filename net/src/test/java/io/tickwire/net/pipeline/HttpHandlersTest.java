package io.tickwire.net.pipeline;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.NetCounters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpHandlersTest
{
    private final NetCounters counters = new NetCounters();

    @Test
    void healthAnswers200AndKeepsTheConnection()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new HttpEndpointHandler(counters));
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
    void anythingElseIs404AndClosed()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new HttpEndpointHandler(counters));
        channel.writeInbound(request("/admin"));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.NOT_FOUND, response.status());
        response.release();
        assertFalse(channel.isActive());
        assertEquals(1, counters.httpNotFound.get());
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

    private static FullHttpRequest request(final String uri)
    {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }
}
