package io.tickwire.net;

import io.tickwire.bots.BotError;
import io.tickwire.bots.GameKind;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.bots.chaos.ChaosFaults;
import io.tickwire.bots.chaos.ChaosProxy;
import io.tickwire.sim.ShardCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tag swarm with churn and reconnects, through a {@link ChaosProxy} that adds latency and jitter and resets,
 * stalls and half-opens connections, against a live server with a short idle timeout. Whatever the network does:
 * no snapshot fails its checksum or decode; every snapshot's last applied input is within what the bot sent and
 * never goes back, and on the server every input accepted is applied or, its client gone, discarded, never both;
 * every room message and presence event arrives exactly once and in order, across resumes too (bots resume their
 * seats through the proxy); the server closes every half-open connection within the run (idle timeout, or a resume
 * taking its seat); and once every bot has left, no session or connection is left open and the heap after a GC is
 * back near where it started.
 * <p>
 * The bots see only connection errors (refused, reset, closed, timed out), which the test allows; any protocol error
 * fails it. Tunable with system properties, for longer local runs or for a server with other deadlines:
 * {@code tickwire.chaos.seconds} (run length, default 15), {@code tickwire.chaos.idleTimeoutSeconds} (the server's
 * idle timeout, which detects half-open connections, default 2), {@code tickwire.chaos.halfOpenDownlink} (half-open
 * connections forward nothing from the server either, default false),
 * {@code tickwire.chaos.seed} (the faults' and the bots' seed, default 7), {@code tickwire.chaos.resumeGraceSeconds}
 * (how long the server holds a dropped player's seat; bots resume through the proxy, default 3; 0 turns resume off
 * and bots join afresh).
 */
class ChaosIntegrationTest
{
    private static final int RUN_SECONDS = Integer.getInteger("tickwire.chaos.seconds", 15);
    private static final int IDLE_TIMEOUT_SECONDS = Integer.getInteger("tickwire.chaos.idleTimeoutSeconds", 2);
    private static final boolean HALF_OPEN_DOWNLINK = Boolean.getBoolean("tickwire.chaos.halfOpenDownlink");
    private static final long SEED = Long.getLong("tickwire.chaos.seed", 7);
    private static final int RESUME_GRACE_SECONDS = Integer.getInteger("tickwire.chaos.resumeGraceSeconds", 3);
    private static final int BOTS = 40;
    private static final int BOTS_PER_ROOM = 10;
    private static final long HEAP_GROWTH_BOUND_BYTES = 64L << 20;

    /** What a hostile network may do to a bot: a connection refused, reset, closed or timed out, and what follows. */
    private static final Set<BotError> CONNECTION_ERRORS = EnumSet.of(
        BotError.CONNECT_FAILED, BotError.HANDSHAKE_FAILED, BotError.JOIN_REFUSED, BotError.JOIN_TIMEOUT,
        BotError.UNEXPECTED_CLOSE, BotError.CLOSE_TIMEOUT, BotError.EXCEPTION);

    private static final ChaosFaults FAULTS = new ChaosFaults(
        TimeUnit.MILLISECONDS.toNanos(15), TimeUnit.MILLISECONDS.toNanos(20), 0.02, 0.03,
        TimeUnit.MILLISECONDS.toNanos(800), 0.01, HALF_OPEN_DOWNLINK, TimeUnit.MILLISECONDS.toNanos(100), SEED);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theSwarmSurvivesLatencyStallsResetsAndHalfOpenConnectionsWithEveryInvariantKept() throws Exception
    {
        final ServerConfig base = LiveServer.config(2);
        final ServerConfig config = new ServerConfig(base.host(), base.port(), base.ioThreads(), base.shards(),
            base.pinnedRooms(), base.maxRooms(), IDLE_TIMEOUT_SECONDS, base.writeBufferLowBytes(),
            base.writeBufferHighBytes(), base.maxMessagesPerSecond(),
            base.shard().withResumeGraceNs(TimeUnit.SECONDS.toNanos(RESUME_GRACE_SECONDS)));
        try (LiveServer live = LiveServer.start(config, LiveServer.catalog()))
        {
            final TickwireServer server = live.server();
            final long heapBeforeBytes = heapAfterGc();
            final ChaosProxy proxy = ChaosProxy.start(new InetSocketAddress("127.0.0.1", server.port()), FAULTS);
            try
            {
                runThroughTheProxy(server, proxy);
            }
            finally
            {
                proxy.close();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.netCounters().activeConnections() == 0);
            final long heapAfterBytes = heapAfterGc();
            assertTrue(heapAfterBytes - heapBeforeBytes < HEAP_GROWTH_BOUND_BYTES,
                "heap after GC grew from " + heapBeforeBytes + " to " + heapAfterBytes + " bytes");
        }
    }

    private static void runThroughTheProxy(final TickwireServer server, final ChaosProxy proxy) throws Exception
    {
        {

            final SwarmResult result = new Swarm(SwarmConfig.builder(
                    URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"))
                .bots(BOTS)
                .rooms(SwarmConfig.roomsFor(BOTS, BOTS_PER_ROOM))
                .game(GameKind.TAG)
                .durationNs(TimeUnit.SECONDS.toNanos(RUN_SECONDS))
                .rampPerSecond(20)
                .churnPerSecond(0.02)
                .reconnect(true)
                .resume(RESUME_GRACE_SECONDS > 0)
                .connectTimeoutNs(TimeUnit.SECONDS.toNanos(3))
                .closeTimeoutNs(TimeUnit.SECONDS.toNanos(2))
                .seed(SEED)
                .build()).run();
            final String summary = result.summary() + "\nproxy: " + proxy.connections() + " connections, " +
                proxy.resets() + " resets, " + proxy.stalls() + " stalls, " + proxy.halfOpens() + " half-open";

            for (final Map.Entry<BotError, Long> errors : result.errorsByKind().entrySet())
            {
                assertTrue(errors.getValue() == 0 || CONNECTION_ERRORS.contains(errors.getKey()),
                    errors.getKey() + ": " + summary);
            }
            assertEquals(0, result.checksumMismatches(), summary);
            assertTrue(result.snapshotsReceived() > BOTS * RUN_SECONDS, summary);
            assertTrue(result.messagesReceived() > 0 && result.messagesDelivered() > 0, summary);
            assertTrue(result.reconnects() > 0, summary);
            assertTrue(RESUME_GRACE_SECONDS == 0 || result.resumes() > 0, "bots resumed through the proxy " + summary);
            assertTrue(proxy.resets() > 0 && proxy.stalls() > 0 && proxy.halfOpens() > 0, summary);

            await("every session closed, half-open ones by the idle timeout")
                .atMost(Duration.ofSeconds(IDLE_TIMEOUT_SECONDS * 3L + 5))
                .until(() -> server.netCounters().activeSessions() == 0 && clients(server) == 0);
            assertEquals(proxy.halfOpens(), proxy.halfOpensClosedByServer(), "half-open, server closed " + summary);
            // The server's idle timeout ends half-open connections (nothing from the client arrives). Not every
            // one: a connection the proxy makes half-open just after its client's LEAVE or close frame went through
            // (a churning bot's) is closed by the server for that, so idle timeouts may fall short of the
            // half-opens (CI saw 8 of 9). What must hold: the server closed every one (above), and the timeout works.
            assertTrue(server.netCounters().idleTimeouts.get() > 0, "the idle timeout ended half-open connections: " +
                "idle " + server.netCounters().idleTimeouts.get() + ", replaced " + seatsReplaced(server) + "; " +
                summary);
            assertEveryAcceptedInputAppliedOrDiscarded(server);
            assertEquals(0, server.errorCount());
        }
    }

    private static void assertEveryAcceptedInputAppliedOrDiscarded(final TickwireServer server)
    {
        long queued = 0;
        long applied = 0;
        long discarded = 0;
        for (int shard = 0; shard < server.shardCount(); shard++)
        {
            final ShardCounters counters = server.shardCounters(shard);
            queued += counters.inputsQueued.get();
            applied += counters.inputsApplied.get();
            discarded += counters.inputsDiscarded.get();
        }
        assertTrue(applied > 0);
        assertEquals(queued, applied + discarded,
            "accepted " + queued + " = applied " + applied + " + discarded " + discarded);
    }

    private static long seatsReplaced(final TickwireServer server)
    {
        long replaced = 0;
        for (int shard = 0; shard < server.shardCount(); shard++)
        {
            replaced += server.shardCounters(shard).seatsReplaced.get();
        }
        return replaced;
    }

    private static long clients(final TickwireServer server)
    {
        long clients = 0;
        for (int shard = 0; shard < server.shardCount(); shard++)
        {
            clients += server.shardCounters(shard).clients.get();
        }
        return clients;
    }

    private static long heapAfterGc()
    {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
