package io.tickwire.net;

import io.tickwire.net.pipeline.StaticFileHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo page and the SDK served by a live server from the {@code tickwire-web} jar on the class path: {@code /}
 * and a module of the SDK, with their types and security headers, a revalidation answered 304, and the server's own
 * page's origin allowed to open a socket although an allow-list is set.
 */
class StaticFilesLiveTest
{
    private static final String STATUS_LINE_START = "HTTP/1.1 ";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theSdkAndTheDemoPageAreServedFromTheJar() throws Exception
    {
        try (LiveServer live = LiveServer.start(1, "arena:demo"))
        {
            final HttpResponse<String> sdk = live.get("/sdk/client.js");
            assertEquals(200, sdk.statusCode());
            assertEquals("text/javascript; charset=utf-8", sdk.headers().firstValue("content-type").orElseThrow());
            assertTrue(sdk.body().contains("tickwire.v2"), sdk.body());
            assertEquals("nosniff", sdk.headers().firstValue("x-content-type-options").orElseThrow());
            assertEquals(StaticFileHandler.CONTENT_SECURITY_POLICY,
                sdk.headers().firstValue("content-security-policy").orElseThrow());
            final String tag = sdk.headers().firstValue("etag").orElseThrow();
            final HttpResponse<String> revalidated = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + live.server().port() + "/sdk/client.js"))
                    .header("If-None-Match", tag).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(304, revalidated.statusCode());
            assertEquals(404, live.get("/sdk/missing.js").statusCode());

            final HttpResponse<String> page = live.get("/");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void thePagesOwnOriginMayOpenASocketDespiteAnAllowList() throws Exception
    {
        final ServerConfig config = LiveServer.config(1, "arena:demo")
            .withAccess(AccessConfig.defaults().withAllowedOrigins(List.of("https://game.example.com")));
        try (LiveServer live = LiveServer.start(config, LiveServer.catalog()))
        {
            final int port = live.server().port();
            assertEquals(101, upgradeStatus(port, "http://127.0.0.1:" + port));
            assertEquals(403, upgradeStatus(port, "http://127.0.0.1:" + (port == 1 ? 2 : port - 1)));
            assertEquals(403, upgradeStatus(port, "https://evil.example"));
        }
    }

    /**
     * @return the status of a WebSocket upgrade from a page of {@code origin}, sent raw so the Origin header is ours.
     */
    private static int upgradeStatus(final int port, final String origin) throws Exception
    {
        try (Socket socket = RawHttp.connect(port))
        {
            socket.getOutputStream().write(RawHttp.ascii("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port +
                "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tickwire.v2\r\nOrigin: " + origin + "\r\n\r\n"));
            final byte[] statusLine = socket.getInputStream().readNBytes(STATUS_LINE_START.length() + 3);
            final String status = new String(statusLine, StandardCharsets.ISO_8859_1);
            assertTrue(status.startsWith(STATUS_LINE_START), status);
            return Integer.parseInt(status.substring(STATUS_LINE_START.length()));
        }
    }
}
