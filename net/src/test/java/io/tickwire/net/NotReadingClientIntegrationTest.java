package io.tickwire.net;

import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server and a client on a raw socket that completes the handshake, joins the demo room and then never reads
 * (its receive buffer is small, as a client's is once it has filled): it is closed (4006) once its connection has
 * stayed not writable past the deadline, counted, and its room sees it leave, while another client of the room keeps
 * getting snapshots.
 */
class NotReadingClientIntegrationTest
{
    private static final long NOT_READING_TIMEOUT_MS = 1_000;
    private static final int CLIENT_RECEIVE_BUFFER_BYTES = 4096;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aClientThatNeverReadsIsClosedAfterTheDeadlineAndTheOthersKeepTheirSnapshots() throws Exception
    {
        try (LiveServer live = LiveServer.start(config(), LiveServer.catalog()))
        {
            final ShardCounters shard = live.server().shardCounters(new ShardRouter(1).shardOf("demo"));
            final WsTestClient reader = WsTestClient.connect(live.websocketUrl()).join("arena", "demo");
            try (RawWsClient silent = new RawWsClient(live.server().port(), CLIENT_RECEIVE_BUFFER_BYTES))
            {
                silent.join("arena", "demo");
                await().atMost(Duration.ofSeconds(5)).until(() -> shard.clients.get() == 2);
                final long joinedNs = System.nanoTime();

                final NetCounters counters = live.server().netCounters();
                await().atMost(Duration.ofSeconds(15)).until(() -> counters.notReadingCloses.get() == 1);
                final long closedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinedNs);
                assertTrue(closedMs >= NOT_READING_TIMEOUT_MS, "not before the deadline: " + closedMs + " ms");
                assertTrue(shard.snapshotsConflated.get() > 0, "its snapshots were conflated first");
                await().atMost(Duration.ofSeconds(5)).until(() -> shard.clients.get() == 1);
                silent.readToEnd();
                assertEquals(0, live.server().netCounters().idleTimeouts.get(), "closed by the deadline, not idle");
                System.out.printf("never-reading client closed %d ms after joining (deadline %d ms)%n", closedMs,
                    NOT_READING_TIMEOUT_MS);
            }

            // The test client acknowledges nothing, so it is sent a full snapshot every few ticks, not every tick.
            final int before = reader.snapshots.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> reader.snapshots.get() > before + 3);
            assertFalse(reader.closeStatus.isDone(), "the reading client is untouched");
            assertEquals(1, live.server().netCounters().notReadingCloses.get());
            reader.abort();
        }
    }

    /**
     * One shard, interest off so every client sees the demo room's 200 NPCs, small write buffers and kernel send
     * limit, and a one-second deadline.
     */
    private static ServerConfig config()
    {
        final ServerConfig base = LiveServer.config(1, "arena:demo");
        final ShardConfig d = base.shard();
        final ShardConfig shard = new ShardConfig(d.tickRateHz(), d.maxCatchUpTicks(), d.ringCapacity(),
            d.maxRoomsPerShard(), d.maxInputsPerTick(), d.pendingInputCapacity(), d.historyWindowTicks(), 0, 0,
            d.maxEntitiesPerSnapshot(), d.checksums(), d.maxUnackedMessages(), d.seed());
        return new ServerConfig(base.host(), base.port(), base.ioThreads(), base.shards(), base.pinnedRooms(),
            base.maxRooms(), base.idleTimeoutSeconds(), 4096, 8192, base.maxMessagesPerSecond(), shard, 4096,
            NOT_READING_TIMEOUT_MS);
    }
}
