package io.tickwire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server as {@code java -jar tickwire-server.jar --demo-bots N --inspect-rooms} runs it, for the web tests:
 * the pinned arena room {@value DemoBots#ARENA_ROOM}, built-in demo bots (half there, half in the tag room
 * {@value DemoBots#TAG_ROOM}), seats kept 10 s for a resume (or as long as a test asks), and {@code GET /rooms/<name>} on. Closing it stops the
 * bots, then the server.
 */
final class DemoServer implements AutoCloseable
{
    /** The server's default {@code --resume-grace}. */
    private static final long RESUME_GRACE_NS = TimeUnit.SECONDS.toNanos(10);

    private final LiveServer live;
    private final DemoBots bots;

    private DemoServer(final LiveServer live, final DemoBots bots)
    {
        this.live = live;
        this.bots = bots;
    }

    /**
     * Starts the server and {@code demoBots} bots, and returns once every bot is in its room.
     */
    static DemoServer start(final int demoBots) throws Exception
    {
        return start(demoBots, RESUME_GRACE_NS);
    }

    /**
     * @param resumeGraceNs how long a dropped player's seat is kept, for tests that wait for it to expire.
     */
    static DemoServer start(final int demoBots, final long resumeGraceNs) throws Exception
    {
        final ServerConfig base = LiveServer.config(1, "arena:" + DemoBots.ARENA_ROOM);
        final ServerConfig config = new ServerConfig(base.host(), base.port(), base.ioThreads(), base.shards(),
            base.pinnedRooms(), base.maxRooms(), base.idleTimeoutSeconds(), base.writeBufferLowBytes(),
            base.writeBufferHighBytes(), base.maxMessagesPerSecond(), base.shard().withResumeGraceNs(resumeGraceNs))
            .withInspectRooms(true);
        final LiveServer live = LiveServer.start(config, LiveServer.catalog());
        final DemoServer server = new DemoServer(live, DemoBots.start(live.server(), demoBots, LiveServer.catalog()));
        try
        {
            final ObjectMapper json = new ObjectMapper();
            await().atMost(20, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).untilAsserted(() ->
            {
                final int arena = players(json, live, DemoBots.ARENA_ROOM);
                final int tag = players(json, live, DemoBots.TAG_ROOM);
                assertEquals(demoBots, arena + tag, "demo bots in their rooms: arena " + arena + ", tag " + tag);
            });
            return server;
        }
        catch (final Exception | Error e)
        {
            server.close();
            throw e;
        }
    }

    LiveServer live()
    {
        return live;
    }

    public void close()
    {
        bots.close();
        live.close();
    }

    private static int players(final ObjectMapper json, final LiveServer live, final String room) throws Exception
    {
        final var response = live.get("/rooms/" + room);
        if (response.statusCode() == 404)
        {
            return 0;
        }
        assertEquals(200, response.statusCode(), response.body());
        final JsonNode players = json.readTree(response.body()).get("players");
        assertTrue(players.isArray(), response.body());
        return players.size();
    }
}
