package io.tickwire.net;

import io.tickwire.api.EntityWriter;
import io.tickwire.api.Game;
import io.tickwire.api.GameType;
import io.tickwire.api.Input;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import io.tickwire.sim.GameCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server (one shard, so rooms are disposed newest first) drained while clients are joined, one WebSocket
 * connection never joined, and an HTTP connection is kept alive: every joined client gets NOTICE 12 with the
 * reconnect delay and then close 1001, every game its onDispose (one that throws does not stop the others), the
 * listening socket refuses connections, /health answers 503, the connection that never joined gets 1001, and the
 * drain ends within its deadline; a shard stuck in a game's onDispose is cut off at the deadline.
 */
class DrainIntegrationTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int RECONNECT_DELAY_MS = 1500;
    private static final String BLOCKING_ROOM = "blocks";
    private static final String THROWING_ROOM = "throws";

    private final Queue<String> disposed = new ConcurrentLinkedQueue<>();
    private final CountDownLatch releaseDispose = new CountDownLatch(1);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void drainTellsJoinedClientsDisposesGamesRefusesConnectionsAnswers503AndEndsInTime() throws Exception
    {
        final LiveServer live = LiveServer.start(LiveServer.config(1), catalog());
        final TickwireServer server = live.server();
        try (RawClient inBlockingRoom = joined(live, BLOCKING_ROOM, "p1");
             RawClient inThrowingRoom = joined(live, THROWING_ROOM, "p2");
             RawClient neverJoined = RawClient.connect(live.websocketUrl());
             Socket http = new Socket("127.0.0.1", server.port()))
        {
            assertEquals("200 ok", health(http));
            final long startNs = System.nanoTime();
            final CompletableFuture<Boolean> drain =
                CompletableFuture.supplyAsync(() -> server.drain(Duration.ofSeconds(8), RECONNECT_DELAY_MS));

            assertToldDrainingThenClosed(inThrowingRoom);
            assertToldDrainingThenClosed(inBlockingRoom);
            await().atMost(WAIT).until(() -> disposed.contains(BLOCKING_ROOM));
            assertTrue(server.isDraining());
            assertFalse(drain.isDone(), "the blocking game's onDispose holds the drain");
            assertEquals("503 draining", health(http));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", server.port()).close());

            releaseDispose.countDown();
            assertTrue(drain.get(WAIT.toSeconds(), TimeUnit.SECONDS), "drained before the deadline");
            assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(8));
            assertEquals(List.of(THROWING_ROOM, BLOCKING_ROOM), List.copyOf(disposed));
            assertEquals(new RawClient.Closed(CloseCodes.GOING_AWAY, "server draining"), neverJoined.next(WAIT));
            assertEquals(-1, http.getInputStream().read(), "the HTTP connection is closed");
            assertEquals(0, server.netCounters().drainForcedCloses.get());
            assertEquals(0, server.netCounters().activeConnections());
            assertEquals(1, server.errorCount(), "the throwing onDispose is caught and reported");
        }
        finally
        {
            releaseDispose.countDown();
            live.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aShardStuckInOnDisposeIsCutOffAtTheDeadlineAndItsOtherClientsAreStillTold() throws Exception
    {
        final LiveServer live = LiveServer.start(LiveServer.config(1), catalog());
        final TickwireServer server = live.server();
        try (RawClient notYetDisposed = joined(live, THROWING_ROOM, "p1");
             RawClient inBlockingRoom = joined(live, BLOCKING_ROOM, "p2"))
        {
            final long startNs = System.nanoTime();

            assertFalse(server.drain(Duration.ofSeconds(2), RECONNECT_DELAY_MS), "the deadline passed");

            final long elapsedNs = System.nanoTime() - startNs;
            assertTrue(elapsedNs < TimeUnit.MILLISECONDS.toNanos(3500), elapsedNs + " ns");
            assertToldDrainingThenClosed(inBlockingRoom);
            assertToldDrainingThenClosed(notYetDisposed);
            assertEquals(List.of(BLOCKING_ROOM), List.copyOf(disposed));
        }
        finally
        {
            releaseDispose.countDown();
            live.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void botsEndTheirSessionsWithoutErrorWhenTheServerDrains() throws Exception
    {
        final int bots = 12;
        try (LiveServer live = LiveServer.start(1))
        {
            final CompletableFuture<SwarmResult> run = CompletableFuture.supplyAsync(() -> runSwarm(
                SwarmConfig.of(live.websocketUrl(), bots, 2, TimeUnit.SECONDS.toNanos(20))));
            await().atMost(WAIT).until(() -> live.server().shardCounters(0).clients.get() == bots);

            assertTrue(live.server().drain(Duration.ofSeconds(5), RECONNECT_DELAY_MS));

            final SwarmResult result = run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(0, result.errorCount(), result.summary());
            assertEquals(0, result.unplannedDisconnects(), result.summary());
            assertEquals(bots, result.joinedCount(), result.summary());
            assertTrue(result.elapsedNs() < TimeUnit.SECONDS.toNanos(15), "the bots ended with the drain");
        }
    }

    private static SwarmResult runSwarm(final SwarmConfig config)
    {
        try
        {
            return new Swarm(config).run();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static RawClient joined(final LiveServer live, final String room, final String player) throws Exception
    {
        final RawClient client = RawClient.connect(live.websocketUrl());
        client.join("probe", room, player);
        assertInstanceOf(Welcome.class, client.next(WAIT));
        return client;
    }

    private static void assertToldDrainingThenClosed(final RawClient client) throws InterruptedException
    {
        final Notice notice = assertInstanceOf(Notice.class, client.next(WAIT));
        assertEquals(Notice.CODE_SERVER_DRAINING, notice.code());
        assertEquals(RECONNECT_DELAY_MS, notice.detail());
        final RawClient.Closed closed = assertInstanceOf(RawClient.Closed.class, client.next(WAIT));
        assertEquals(CloseCodes.GOING_AWAY, closed.statusCode());
    }

    /**
     * @return "status body" of a GET /health on a kept-alive HTTP/1.1 connection.
     */
    private static String health(final Socket http) throws IOException
    {
        http.setSoTimeout((int)WAIT.toMillis());
        final OutputStream out = http.getOutputStream();
        out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final InputStream in = http.getInputStream();
        final String statusLine = readLine(in);
        int contentLength = 0;
        for (String header = readLine(in); !header.isEmpty(); header = readLine(in))
        {
            if (header.toLowerCase().startsWith("content-length:"))
            {
                contentLength = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
            }
        }
        final String body = new String(in.readNBytes(contentLength), StandardCharsets.UTF_8).trim();
        return statusLine.split(" ")[1] + " " + body;
    }

    private static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read())
        {
            if (c < 0)
            {
                throw new IOException("connection closed mid-response");
            }
            if (c != '\r')
            {
                line.append((char)c);
            }
        }
        return line.toString();
    }

    /**
     * The arena's schemas and rules under the type "probe", with an onDispose that records its room and then, in
     * {@link #BLOCKING_ROOM}, waits for the test, and in {@link #THROWING_ROOM} throws.
     */
    private GameCatalog catalog()
    {
        final GameType arena = LiveServer.catalog().get("arena");
        assertNotNull(arena);
        final GameType probe = GameType.builder("probe")
            .entitySchema(arena.entitySchema())
            .inputSchema(arena.inputSchema())
            .maxEntities(arena.maxEntities())
            .factory(room -> new DisposeProbe(arena.newGame(room), room))
            .build();
        return new GameCatalog(List.of(probe));
    }

    private final class DisposeProbe implements Game
    {
        private final Game arena;
        private final RoomContext room;

        DisposeProbe(final Game arena, final RoomContext room)
        {
            this.arena = arena;
            this.room = room;
        }

        public void onJoin(final Player player)
        {
            arena.onJoin(player);
        }

        public void onLeave(final Player player, final LeaveReason reason)
        {
            arena.onLeave(player, reason);
        }

        public void onInput(final Player player, final Input input)
        {
            arena.onInput(player, input);
        }

        public void step(final long tick)
        {
            arena.step(tick);
        }

        public void capture(final EntityWriter entities)
        {
            arena.capture(entities);
        }

        public void onDispose()
        {
            disposed.add(room.name());
            if (BLOCKING_ROOM.equals(room.name()))
            {
                try
                {
                    releaseDispose.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            else if (THROWING_ROOM.equals(room.name()))
            {
                throw new IllegalStateException("onDispose fails");
            }
        }
    }
}
