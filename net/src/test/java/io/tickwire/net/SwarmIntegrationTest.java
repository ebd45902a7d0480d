package io.tickwire.net;

import io.tickwire.bots.BotResult;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole pipeline, live: a server on an ephemeral loopback port (interest management on, checksums on) and a
 * swarm of real bots speaking the protocol over WebSocket for a few seconds; every bot decodes every snapshot,
 * verifies its checksum and acknowledges it. Once per transport and pacing of the event loops.
 */
class SwarmIntegrationTest
{
    private static final int TICK_RATE_HZ = 30;
    private static final int BOTS = 60;
    private static final int ROOMS = 3;

    /**
     * Every transport, paced to ticks (the default) and to inputs; io_uring where the system offers it; epoll's
     * snapshots written batched (the default where io_uring is offered) and each by itself.
     */
    static Stream<IoConfig> ioConfigs()
    {
        return Stream.of(
            IoConfig.defaults(),
            new IoConfig(IoConfig.Transport.EPOLL, IoConfig.Pacing.TICK, IoConfig.Writes.DIRECT),
            new IoConfig(IoConfig.Transport.EPOLL, IoConfig.Pacing.INPUT),
            new IoConfig(IoConfig.Transport.IO_URING, IoConfig.Pacing.TICK),
            new IoConfig(IoConfig.Transport.NIO, IoConfig.Pacing.TICK));
    }

    @ParameterizedTest
    @MethodSource("ioConfigs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyBotReceivesVerifiedDeltaSnapshotsAtTheTickRateWithoutErrors(final IoConfig io) throws Exception
    {
        if (io.transport() == IoConfig.Transport.IO_URING)
        {
            assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        }
        try (LiveServer live = LiveServer.start(LiveServer.config(2, "arena:demo").withIo(io), LiveServer.catalog()))
        {
            final TickwireServer server = live.server();
            assertEquals(200, live.get("/health").statusCode());
            if (io.transport() != IoConfig.Transport.AUTO)
            {
                assertEquals(io.transport().name().toLowerCase(Locale.ROOT), server.transportName());
            }
            assertEquals(server.transportName().equals("epoll") && io.writes() != IoConfig.Writes.DIRECT &&
                IoUring.isAvailable(), server.writesBatched(), "writes batched");

            final SwarmResult result = new Swarm(
                SwarmConfig.of(live.websocketUrl(), BOTS, ROOMS, TimeUnit.SECONDS.toNanos(4))).run();

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertTrue(result.passed(), result.summary());
            assertEquals(0, result.checksumMismatches(), result.summary());
            assertTrue(result.deltaSnapshots() > 10 * result.fullSnapshots(), result.summary());
            assertReadByPassesAndWritesBatched(live, io, result);
            assertEquals(BOTS, result.joinedCount(), result.summary());
            for (final BotResult bot : result.bots())
            {
                final double rate = bot.snapshotsPerSecond();
                assertTrue(rate > TICK_RATE_HZ * 0.8 && rate < TICK_RATE_HZ * 1.2, "bot " + bot + " at " + rate + "/s");
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            {
                long clients = 0;
                long rooms = 0;
                for (int shard = 0; shard < server.shardCount(); shard++)
                {
                    clients += server.shardCounters(shard).clients.get();
                    rooms += server.shardCounters(shard).rooms.get();
                }
                assertEquals(0, clients, "every bot left");
                assertEquals(1, rooms, "only the pinned demo room is left");
                assertEquals(0, server.netCounters().activeSessions(), "every bot closed");
            });

            long joins = 0;
            long inputsApplied = 0;
            long snapshotsSent = 0;
            for (int shard = 0; shard < server.shardCount(); shard++)
            {
                final ShardCounters counters = server.shardCounters(shard);
                joins += counters.joins.get();
                inputsApplied += counters.inputsApplied.get();
                snapshotsSent += counters.snapshotsSent.get();
                assertEquals(0, counters.errors.get());
                assertEquals(0, counters.inputsStale.get());
                assertEquals(0, counters.acksIgnored.get(), "a well-behaved client's acks are never ignored");
            }
            assertEquals(BOTS, joins);
            assertTrue(inputsApplied > 0.8 * result.inputsSent(), inputsApplied + " of " + result.inputsSent());
            assertTrue(snapshotsSent >= result.snapshotsReceived(), snapshotsSent + " < " + result.snapshotsReceived());
            assertEquals(0, server.netCounters().invalidMessagesTotal());
            assertEquals(0, server.errorCount());
            for (final ClientMessageError error : ClientMessageError.values())
            {
                assertEquals(0, server.netCounters().invalidMessages(error), error.name());
            }
        }
    }

    /**
     * Over epoll, both sides read their connections in their loops' read passes, and batch their writes in their send
     * rings where io_uring is offered: the server its snapshots, the swarm each bot's frames. With or without Netty's
     * {@code Unsafe} (the build's without-unsafe run).
     */
    private static void assertReadByPassesAndWritesBatched(
        final LiveServer live, final IoConfig io, final SwarmResult result) throws Exception
    {
        final TickwireServer server = live.server();
        final boolean epoll = server.transportName().equals("epoll");
        if (io.pacing() == IoConfig.Pacing.TICK)
        {
            assertEquals(epoll ? BOTS : 0, live.metric("tickwire_io_pass_reads_connections_total"),
                "connections the server's read passes read");
        }
        final long sentBatched = live.metric("tickwire_io_sends_batched_total");
        if (server.writesBatched())
        {
            assertTrue(sentBatched > result.snapshotsReceived() / 2,
                sentBatched + " sends batched for " + result.snapshotsReceived() + " snapshots");
        }
        else
        {
            assertEquals(0, sentBatched, "sends batched");
        }
        final boolean swarmOnEpoll = "epoll".equals(result.cpu().transport());
        assertEquals(swarmOnEpoll ? BOTS : 0, result.cpu().readByPass(),
            "connections the swarm's read passes read: " + result.summary());
        if (swarmOnEpoll && IoUring.isAvailable())
        {
            assertTrue(result.cpu().sentByRing() > result.inputsSent() / 2,
                "the bots' frames went out batched: " + result.summary());
        }
    }
}
