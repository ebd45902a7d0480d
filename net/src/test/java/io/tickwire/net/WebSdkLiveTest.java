package io.tickwire.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The TypeScript SDK against a live server, in Node ({@code web/test/live/}, through {@link NodeTests}): join, move
 * and see the avatar move, message round trips, resume after a dropped socket with nothing lost. The server runs as
 * the demo does (demo bots, room inspection), so the SDK meets other players and can check positions; seats are kept
 * 3 s, so that the fresh join after an expired seat is tested in seconds.
 */
class WebSdkLiveTest
{
    private static final int DEMO_BOTS = 6;
    /** Short, so that the test of an expired seat waits 3 s rather than the default 10. */
    private static final long RESUME_GRACE_NS = TimeUnit.SECONDS.toNanos(3);

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theSdksLiveTestsPassAgainstARealServer() throws Exception
    {
        try (DemoServer server = DemoServer.start(DEMO_BOTS, RESUME_GRACE_NS))
        {
            NodeTests.run("test/live/", server.live(), Duration.ofSeconds(120));
        }
    }
}
