package io.tickwire.bots;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs whole swarms over real loopback sockets against {@link FakeServer}. Each test is bounded by a timeout, and
 * the swarm itself must end within its duration plus its close timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SwarmTest
{
    private static final int TICK_RATE_HZ = 20;
    /** Below the least send buffer Linux gives: it doubles what is asked, to at least 4608 bytes. */
    private static final int SEND_BUFFER_ASKED_BYTES = 1024;

    @Test
    void botsJoinReceiveSnapshotsAtTheTickRateAndCloseCleanly() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final SwarmConfig config = config(server.url(), 12, 3, 2_500, 1_000);
            final List<SwarmProgress> progress = new ArrayList<>();

            final SwarmResult result = new Swarm(config).run(progress::add);

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertTrue(result.passed(), result.summary());
            assertEquals(SwarmResult.EXIT_PASSED, result.exitCode());
            assertEquals(12, result.connectedCount());
            assertEquals(12, result.joinedCount());
            assertEquals(TICK_RATE_HZ, result.meanSnapshotsPerSecond(), TICK_RATE_HZ * 0.25, result.summary());
            assertTrue(result.meanBytesPerSecond() > 0);
            assertTrue(result.fullSnapshots() >= 12, result.summary());
            assertTrue(result.fullSnapshots() <= 12 * 3, "full only until the first ack: " + result.summary());
            assertTrue(result.deltaSnapshots() > 10 * result.fullSnapshots(), result.summary());
            assertTrue(result.meanDeltaSnapshotBytesPerSecond() > 0, result.summary());
            assertTrue(result.meanFullSnapshotBytesPerSecond() > 0, result.summary());
            assertEquals(0, result.checksumMismatches());
            assertTrue(result.latencySamples() > 0, result.summary());
            assertTrue(result.rttSamples() > 0, result.summary());
            assertTrue(result.jitterSamples() > 0, result.summary());
            assertTrue(result.loopLagSamples() > 0, result.summary());
            assertTrue(result.latencyPercentileMs(50) <= 3 * 1000.0 / TICK_RATE_HZ, result.summary());
            assertEquals(server.inputsReceived(), result.inputsSent());
            assertEquals(server.acksReceived(), result.acksSent());
            assertTrue(result.acksSent() >= 12, "each bot acknowledges its presence list: " + result.summary());
            assertEquals(3, result.presenceRooms(), result.summary());
            assertEquals(0, result.presenceMismatches(), result.summary());
            assertTrue(server.pingsReceived() >= 12, "pings: " + server.pingsReceived());
            assertEquals(0, server.violations());
            assertEquals(3, server.joinsByRoom().size());
            server.joinsByRoom().forEach((room, joins) -> assertEquals(4, joins.get(), room));
            assertTrue(progress.size() >= 2, "progress samples: " + progress.size());
            assertEquals(12, progress.get(progress.size() - 1).joined());
            assertEquals(12, progress.get(progress.size() - 1).connected());
            assertTrue(progress.get(progress.size() - 1).snapshotsPerSecond() > 0);
            assertCpuMeasured(result, config);
            assertEquals(readByPass(result, 12), result.cpu().readByPass(), result.summary());
            if (IoUring.isAvailable())
            {
                assertTrue(result.cpu().sentByRing() > result.inputsSent() / 2,
                    "by default the bots' frames go out batched: " + result.summary());
            }
        }
    }

    @Test
    void botsWriteEachBotsFramesThemselvesWhenAskedTo() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final SwarmConfig config = config(server.url(), 4, 1, 1_500, 1_000).toBuilder()
                .writes(BotWrites.DIRECT)
                .build();

            final SwarmResult result = new Swarm(config).run();

            assertTrue(result.passed(), result.summary());
            assertEquals(server.inputsReceived(), result.inputsSent());
            assertEquals(0, server.violations());
            assertEquals(0, result.cpu().sentByRing(), result.summary());
        }
    }

    /**
     * A server that stops reading for a second fills the bots' sockets (each asks for a send buffer below the least
     * the kernel gives) while they send an input every millisecond: their writes, straight or batched in the loop's
     * ring, come back refused, and what the socket did not take goes through the channel, whole, before anything the
     * bot writes after it. The server sees every input sent, in order, and nothing it cannot parse. The kernel may
     * also cut a write short inside a bot's frames; this test does not force that case.
     */
    @ParameterizedTest
    @EnumSource(value = BotWrites.class, names = { "BATCHED", "DIRECT" })
    void writesTheSocketDidNotTakeFollowWholeAndInOrder(final BotWrites writes) throws Exception
    {
        assumeTrue(Epoll.isAvailable(), "the bots write their sockets themselves only over epoll");
        assumeTrue(writes != BotWrites.BATCHED || IoUring.isAvailable(), "io_uring is not available here");
        final int bots = 2;
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.STALL_READS, TICK_RATE_HZ))
        {
            final SwarmConfig config = config(server.url(), bots, 1, 3_000, 2_000).toBuilder()
                .inputRateHz(SwarmConfig.MAX_INPUT_RATE_HZ)
                .sendBufferBytes(SEND_BUFFER_ASKED_BYTES)
                .writes(writes)
                .build();

            final SwarmResult result = new Swarm(config).run();

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            final long inputsDuringStall = bots * FakeServer.STALL_READS_MS * SwarmConfig.MAX_INPUT_RATE_HZ / 1000;
            assertTrue(result.inputsSent() > inputsDuringStall, result.summary());
            assertTrue(result.writesFinishedByChannel() > 0, "the sockets filled: " + result.summary());
            assertEquals(server.inputsReceived(), result.inputsSent());
            assertEquals(0, server.violations());
        }
    }

    @Test
    void botsRunOnTheIoUringTransportWhereItIsAvailable() throws Exception
    {
        assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final SwarmConfig config = config(server.url(), 4, 1, 1_500, 1_000).toBuilder()
                .transport(BotTransport.IO_URING)
                .build();

            final SwarmResult result = new Swarm(config).run();

            assertTrue(result.passed(), result.summary());
            assertEquals(server.inputsReceived(), result.inputsSent());
            assertEquals(0, server.violations());
            assertEquals("io_uring", result.cpu().transport());
            assertEquals(0, result.cpu().sentByRing(), "io_uring channels write their own: " + result.summary());
            assertCpuMeasured(result, config);
        }
    }

    @Test
    void churnedBotsComeBackToTheirRoomsWithoutErrors() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final SwarmConfig config = config(server.url(), 12, 3, 3_500, 1_000).toBuilder()
                .churnPerSecond(0.5)
                .pingIntervalNs(TimeUnit.MILLISECONDS.toNanos(200))
                .build();
            final List<SwarmProgress> progress = new ArrayList<>();

            final SwarmResult result = new Swarm(config).run(progress::add);

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertTrue(result.passed(), result.summary());
            assertTrue(result.plannedDrops() >= 4, result.summary());
            assertTrue(result.droppedBots() > 0, result.summary());
            assertEquals(result.droppedBots(), result.returnedBots(), result.summary());
            assertEquals(result.plannedDrops(), result.reconnects(), result.summary());
            assertEquals(result.plannedDrops() + 12, server.leavesReceived(),
                "a churned bot leaves before it closes, and so does every bot at the end");
            assertEquals(0, result.unplannedDisconnects(), result.summary());
            assertEquals(readByPass(result, 12 + result.reconnects()), result.cpu().readByPass(),
                "every connection, the ones churned bots come back on too: " + result.summary());
            assertEquals(12, result.joinedCount());
            assertEquals(0, result.presenceMismatches(), "leaves and joins reached every bot: " + result.summary());
            assertEquals(0, server.violations());
            assertTrue(result.rttSamples() > 0 && result.latencySamples() > 0, result.summary());
            assertTrue(result.fullSnapshots() >= 12 + result.reconnects(), "each session starts full");

            final Map<String, Long> expectedJoins = new HashMap<>();
            for (final BotResult bot : result.bots())
            {
                expectedJoins.merge(bot.room(), 1 + bot.reconnects(), Long::sum);
            }
            final Map<String, Long> joins = new HashMap<>();
            server.joinsByRoom().forEach((room, count) -> joins.put(room, count.longValue()));
            assertEquals(expectedJoins, joins, "every bot rejoined its own room");
            assertTrue(progress.stream().mapToLong(SwarmProgress::reconnects).max().orElse(0) > 0);
        }
    }

    @Test
    void tagBotsChatTimeTheirChatsDeliveryAndAgreeOnWhoIsInTheirRoom() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final SwarmConfig config = config(server.url(), 8, 2, 4_000, 1_000).toBuilder()
                .game(GameKind.TAG)
                .behaviour(Behaviour.CHASE)
                .build();

            final SwarmResult result = new Swarm(config).run();

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertTrue(result.passed(), result.summary());
            assertEquals(0, server.violations());
            assertEquals(Map.of("tag-0", 4, "tag-1", 4), joinsPerRoom(server), result.summary());
            assertTrue(result.messagesSent() >= 4, result.summary());
            assertEquals(server.messagesReceived(), result.messagesSent());
            assertTrue(result.messagesDelivered() >= result.messagesSent() - 8, result.summary());
            assertTrue(result.messagesReceived() >= 3 * result.messagesDelivered(), "chats reach the whole room");
            assertEquals(Map.of("chat", result.messagesReceived()), result.messagesByType());
            assertTrue(result.messageLatencySamples() > 0, result.summary());
            assertTrue(result.messageLatencyPercentileMs(50) < 1000, result.summary());
            assertEquals(2, result.presenceRooms(), result.summary());
            assertEquals(0, result.presenceMismatches(), result.summary());
            assertTrue(result.summary().contains("message latency ms"), result.summary());
        }
    }

    @Test
    void aGapInTheStreamFailsTheBotsThatSeeIt() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.STREAM_GAP, TICK_RATE_HZ))
        {
            final SwarmResult result = new Swarm(config(server.url(), 4, 1, 1_500, 1_000)).run();

            assertEquals(List.of(BotError.BAD_STREAM_SEQUENCE), List.copyOf(result.errorsByKind().keySet()),
                result.summary());
            assertTrue(result.errorsByKind().get(BotError.BAD_STREAM_SEQUENCE) >= 3, result.summary());
            assertEquals(SwarmResult.EXIT_FAILED, result.exitCode());
        }
    }

    @Test
    void thresholdsDecideTheExitCodeOfARunWithoutErrors() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final SwarmConfig base = config(server.url(), 4, 1, 1_500, 1_000).toBuilder()
                .behaviour(Behaviour.CHASE)
                .pingIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
                .build();
            final SwarmConfig reachable = base.toBuilder().thresholds(new SwarmThresholds(
                0, OptionalDouble.of(1000), OptionalDouble.of(TICK_RATE_HZ / 2.0), OptionalDouble.of(1000))).build();
            final SwarmConfig unreachable = base.toBuilder().thresholds(new SwarmThresholds(
                0, OptionalDouble.empty(), OptionalDouble.of(TICK_RATE_HZ * 2.0), OptionalDouble.empty())).build();

            final SwarmResult passing = new Swarm(reachable).run();
            final SwarmResult failing = new Swarm(unreachable).run();

            assertEquals(Map.of(), passing.errorsByKind(), passing.summary());
            assertEquals(6, passing.assertions().size(), passing.summary());
            assertEquals(SwarmResult.EXIT_PASSED, passing.exitCode(), passing.summary());
            assertEquals(Map.of(), failing.errorsByKind(), failing.summary());
            assertEquals(SwarmResult.EXIT_FAILED, failing.exitCode(), failing.summary());
            assertFalse(failing.assertions().get(2).passed(), failing.summary());
        }
    }

    @Test
    void snapshotsWithoutTheBotsOwnEntityFailTheRun() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.OMIT_OWN_ENTITY, TICK_RATE_HZ))
        {
            final SwarmResult result = new Swarm(config(server.url(), 4, 1, 1_000, 1_000)).run();

            assertEquals(Map.of(BotError.MISSING_OWN_ENTITY, 4L), result.errorsByKind(), result.summary());
            assertFalse(result.passed());
            assertEquals(SwarmResult.EXIT_FAILED, result.exitCode());
        }
    }

    @Test
    void checksumMismatchesAreCountedWhileTheBotsCarryOn() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRUPT_CHECKSUM, TICK_RATE_HZ))
        {
            final SwarmResult result = new Swarm(config(server.url(), 4, 1, 1_500, 1_000)).run();

            final long mismatches = result.checksumMismatches();
            assertTrue(mismatches >= 4, result.summary());
            assertEquals(Map.of(BotError.CHECKSUM_MISMATCH, mismatches), result.errorsByKind(), result.summary());
            assertEquals(4, result.joinedCount());
            assertEquals(TICK_RATE_HZ * 0.9, result.meanSnapshotsPerSecond(), TICK_RATE_HZ * 0.25, result.summary());
            assertEquals(0, server.violations());
            assertEquals(SwarmResult.EXIT_FAILED, result.exitCode());
        }
    }

    @Test
    void refusedJoinsFailTheRunAndEndItEarly() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.REFUSE_JOIN, TICK_RATE_HZ))
        {
            final long durationMs = 20_000;
            final SwarmResult result = new Swarm(config(server.url(), 4, 2, durationMs, 1_000)).run();

            assertEquals(Map.of(BotError.JOIN_REFUSED, 4L), result.errorsByKind(), result.summary());
            assertEquals(4, result.connectedCount());
            assertEquals(0, result.joinedCount());
            assertEquals(SwarmResult.EXIT_FAILED, result.exitCode());
            assertTrue(result.elapsedNs() < TimeUnit.MILLISECONDS.toNanos(durationMs / 2), result.summary());
        }
    }

    @Test
    void aServerThatNeverAnswersTheCloseIsCutOffAfterTheCloseTimeout() throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.IGNORE_CLOSE, TICK_RATE_HZ))
        {
            final long durationMs = 1_000;
            final long closeTimeoutMs = 500;
            final SwarmResult result = new Swarm(config(server.url(), 4, 1, durationMs, closeTimeoutMs)).run();

            assertEquals(Map.of(BotError.CLOSE_TIMEOUT, 4L), result.errorsByKind(), result.summary());
            assertEquals(4, result.joinedCount());
            final long boundNs = TimeUnit.MILLISECONDS.toNanos(durationMs + closeTimeoutMs) +
                Swarm.FORCE_CLOSE_WAIT_NS + TimeUnit.MILLISECONDS.toNanos(Swarm.SHUTDOWN_WAIT_MS);
            assertTrue(result.elapsedNs() < boundNs, result.summary());
        }
    }

    @Test
    void connectFailuresAreCountedAndEndTheRunEarly() throws Exception
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }

        final long durationMs = 20_000;
        final URI url = URI.create("ws://127.0.0.1:" + closedPort + "/ws");
        final SwarmResult result = new Swarm(config(url, 3, 1, durationMs, 1_000)).run();

        assertEquals(Map.of(BotError.CONNECT_FAILED, 3L), result.errorsByKind(), result.summary());
        assertEquals(0, result.connectedCount());
        assertTrue(result.elapsedNs() < TimeUnit.MILLISECONDS.toNanos(durationMs / 2), result.summary());
    }

    private static Map<String, Integer> joinsPerRoom(final FakeServer server)
    {
        final Map<String, Integer> joins = new HashMap<>();
        server.joinsByRoom().forEach((room, count) -> joins.put(room, count.get()));
        return joins;
    }

    /**
     * @return the connections handed to the loops' read passes in a run of {@code connections} connections: every one
     * past its handshake over epoll (the default transport here), none over the others.
     */
    private static long readByPass(final SwarmResult result, final long connections)
    {
        return "epoll".equals(result.cpu().transport()) ? connections : 0;
    }

    /**
     * The CPU window began after the warm-up and ended with the duration, saw bot-ticks, and split its CPU time.
     */
    private static void assertCpuMeasured(final SwarmResult result, final SwarmConfig config)
    {
        final SwarmCpu cpu = result.cpu();
        assertTrue(cpu.windowNs() > config.durationNs() - config.warmupNs() - TimeUnit.SECONDS.toNanos(1) &&
            cpu.windowNs() < result.elapsedNs() - config.warmupNs(), result.summary());
        assertTrue(cpu.botTicks() > 0 && cpu.botTicks() < result.snapshotsReceived(), result.summary());
        assertTrue(cpu.microsPerBotTick() > 0, result.summary());
        assertTrue(cpu.eventLoopMicrosPerBotTick() > 0, result.summary());
        assertEquals(config.threads(), cpu.eventLoops());
        if (ProcessCpu.userAndSystemTicks() != null)
        {
            assertEquals(cpu.totalNs(), cpu.userNs() + cpu.systemNs(), result.summary());
        }
        assertTrue(result.summary().contains("swarm cpu "), result.summary());
    }

    private static SwarmConfig config(
        final URI url, final int bots, final int rooms, final long durationMs, final long closeTimeoutMs)
    {
        return SwarmConfig.builder(url)
            .bots(bots)
            .rooms(rooms)
            .durationNs(TimeUnit.MILLISECONDS.toNanos(durationMs))
            .threads(2)
            .seed(7)
            .connectTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .closeTimeoutNs(TimeUnit.MILLISECONDS.toNanos(closeTimeoutMs))
            .warmupNs(TimeUnit.MILLISECONDS.toNanos(500))
            .build();
    }
}
