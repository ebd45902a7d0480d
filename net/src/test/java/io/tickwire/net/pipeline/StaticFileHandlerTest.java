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
import io.tickwire.net.NetCounters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The static file handler in an {@link EmbeddedChannel}, serving the test folder {@code tickwire/test-web/}: strict
 * paths only, the allow-listed types, ETag and 304, HEAD, 405, and every request and response buffer released.
 */
class StaticFileHandlerTest
{
    private static final String ROOT = "tickwire/test-web/";

    private final NetCounters counters = new NetCounters();
    private final StaticFileHandler handler =
        new StaticFileHandler(counters, StaticFileHandlerTest.class.getClassLoader(), ROOT);

    @Test
    void slashServesTheIndexWithTheSecurityHeadersAndKeepsTheConnection()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(handler);
        final FullHttpRequest request = request(HttpMethod.GET, "/");
        channel.writeInbound(request);
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.OK, response.status());
        assertEquals("text/html; charset=utf-8", response.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("<!doctype html><title>test</title>\n", response.content().toString(CharsetUtil.UTF_8));
        assertEquals(35, response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals("no-cache", response.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("nosniff", response.headers().get("X-Content-Type-Options"));
        assertEquals(StaticFileHandler.CONTENT_SECURITY_POLICY,
            response.headers().get(HttpHeaderNames.CONTENT_SECURITY_POLICY));
        assertTrue(response.headers().get(HttpHeaderNames.CONTENT_SECURITY_POLICY)
            .contains("connect-src 'self' ws: wss:"));
        assertTrue(response.headers().get(HttpHeaderNames.ETAG).matches("\"[A-Za-z0-9_-]{22}\""));
        assertTrue(response.release());
        assertEquals(0, request.refCnt());
        assertTrue(channel.isActive());
        assertEquals(1, counters.staticFileRequests.get());
        assertFalse(channel.finish());
    }

    @Test
    void javascriptAndCssHaveTheirTypes()
    {
        assertEquals("text/javascript; charset=utf-8", contentTypeOf("/demo/app.js"));
        assertEquals("text/css; charset=utf-8", contentTypeOf("/demo.css"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../index.html", "/demo/../index.html", "/%2e%2e/index.html", "/%2E%2E/demo.css", "/demo%2fapp.js",
        "//index.html", "/demo//app.js", "/demo/", "/demo\\app.js", "/.hidden.js", "/./index.html", "/notes.md",
        "/missing.js", "/index.html/", "/INDEX.HTML", "/demo/app.js.", "/demo/app", "/ws", "/a%20b.js", "/é.js",
        "index.html", "/index.html;x.js"})
    void anyPathThatIsNotStrictOrNotAServedFileIs404AndClosed(final String uri)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(handler);
        final FullHttpRequest request = request(HttpMethod.GET, uri);
        channel.writeInbound(request);
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.NOT_FOUND, response.status(), uri);
        assertEquals("not found\n", response.content().toString(CharsetUtil.UTF_8));
        assertTrue(response.release());
        assertEquals(0, request.refCnt());
        assertFalse(channel.isActive());
        assertEquals(1, counters.httpNotFound.get());
    }

    @Test
    void aQueryStringIsIgnored()
    {
        assertEquals("text/javascript; charset=utf-8", contentTypeOf("/demo/app.js?v=3"));
    }

    @Test
    void aPathLongerThanTheLimitIsNotStrict()
    {
        final String longName = "/" + "a".repeat(StaticFileHandler.MAX_PATH_LENGTH) + ".js";
        assertFalse(StaticFileHandler.isStrict(longName));
        assertTrue(StaticFileHandler.isStrict("/sdk/index.js"));
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.writeInbound(request(HttpMethod.HEAD, "/demo/app.js"));
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.OK, response.status());
        assertEquals(26, response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals(0, response.content().readableBytes());
        assertNotNull(response.headers().get(HttpHeaderNames.ETAG));
        response.release();
        assertTrue(channel.isActive());
    }

    @Test
    void aMatchingIfNoneMatchGets304WithoutBody()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.writeInbound(request(HttpMethod.GET, "/demo.css"));
        final FullHttpResponse first = channel.readOutbound();
        final String tag = first.headers().get(HttpHeaderNames.ETAG);
        first.release();

        final FullHttpRequest revalidate = request(HttpMethod.GET, "/demo.css");
        revalidate.headers().set(HttpHeaderNames.IF_NONE_MATCH, "\"other\", " + tag);
        channel.writeInbound(revalidate);
        final FullHttpResponse notModified = channel.readOutbound();
        assertEquals(HttpResponseStatus.NOT_MODIFIED, notModified.status());
        assertEquals(tag, notModified.headers().get(HttpHeaderNames.ETAG));
        assertEquals(0, notModified.content().readableBytes());
        notModified.release();

        final FullHttpRequest stale = request(HttpMethod.GET, "/demo.css");
        stale.headers().set(HttpHeaderNames.IF_NONE_MATCH, "\"other\"");
        channel.writeInbound(stale);
        final FullHttpResponse full = channel.readOutbound();
        assertEquals(HttpResponseStatus.OK, full.status());
        assertEquals("body { margin: 0 }\n", full.content().toString(CharsetUtil.UTF_8));
        full.release();
        assertTrue(channel.isActive());
        assertEquals(3, counters.staticFileRequests.get());
    }

    @Test
    void otherMethodsGet405AndClose()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(handler);
        final FullHttpRequest request = request(HttpMethod.POST, "/");
        channel.writeInbound(request);
        final FullHttpResponse response = channel.readOutbound();
        assertEquals(HttpResponseStatus.METHOD_NOT_ALLOWED, response.status());
        assertEquals("GET, HEAD", response.headers().get(HttpHeaderNames.ALLOW));
        response.release();
        assertEquals(0, request.refCnt());
        assertFalse(channel.isActive());
        assertEquals(1, counters.httpMethodNotAllowed.get());
    }

    private String contentTypeOf(final String uri)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(handler);
        channel.writeInbound(request(HttpMethod.GET, uri));
        final FullHttpResponse response = channel.readOutbound();
        try
        {
            assertEquals(HttpResponseStatus.OK, response.status(), uri);
            return response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        }
        finally
        {
            response.release();
        }
    }

    private static FullHttpRequest request(final HttpMethod method, final String uri)
    {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    }
}
