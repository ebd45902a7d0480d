package io.tickwire.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The TypeScript SDK against a live server, in Node ({@code web/test/live/}, through {@link NodeTests}): join, move
 * and see the avatar move, message round trips, resume after a dropped socket with nothing lost. The server runs as
 * the demo does (demo bots, room inspection), so the SDK meets other players and can check positions.
 */
class WebSdkLiveTest
{
    private static final int DEMO_BOTS = 6;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theSdksLiveTestsPassAgainstARealServer() throws Exception
    {
        try (DemoServer server = DemoServer.start(DEMO_BOTS))
        {
            NodeTests.run("test/live/", server.live(), Duration.ofSeconds(120));
        }
    }
}
