package io.tickwire.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The demo page at {@code /} in headless Chromium ({@code web/test/browser/}, Playwright through {@link NodeTests}),
 * served by a live server with demo bots and room inspection: keys move the avatar in the server's own view, other
 * players and NPCs are drawn, a chat mention reaches a bot and its answer reaches the page, in the arena and in tag.
 * Screenshots land in {@code net/target/browser-artifacts/}.
 */
class BrowserDemoTest
{
    private static final int DEMO_BOTS = 8;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theDemoPageWorksInHeadlessChromium() throws Exception
    {
        NodeTests.requireChromium();
        try (DemoServer server = DemoServer.start(DEMO_BOTS))
        {
            NodeTests.run("test/browser/", server.live(), Duration.ofSeconds(120));
        }
    }
}
