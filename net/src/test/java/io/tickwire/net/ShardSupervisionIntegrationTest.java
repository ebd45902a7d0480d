package io.tickwire.net;

import io.tickwire.api.GameType;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Notice;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live servers (two shards) whose games fail: a shard ended by an error out of its loop is reported by
 * {@code /health} (503, naming it) while the other shard serves on, its clients are closed with 1011 and joins to it
 * are refused; a room whose game fails every tick is closed after {@link ShardConfig#maxFaultedTicks()} ticks, its
 * client told with NOTICE ROOM_CLOSED and close 1011. Nothing hangs: every wait is bounded and the server closes.
 */
class ShardSupervisionIntegrationTest
{
    private static final int SHARDS = 2;
    private static final int MAX_FAULTED_TICKS = 5;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final ShardRouter router = new ShardRouter(SHARDS);

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aStackOverflowErrorFromAStepFailsTheShardAndHealthNamesIt() throws Exception
    {
        aFailingShardIsReportedAndItsClientsClosed("stack-", StackOverflowError.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anOutOfMemoryErrorFromAStepIsNotSwallowedAndFailsTheShard() throws Exception
    {
        aFailingShardIsReportedAndItsClientsClosed("oom-", OutOfMemoryError.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aRoomWhoseGameFailsEveryTickIsClosedAndItsClientToldWhy() throws Exception
    {
        try (LiveServer live = LiveServer.start(config(), catalog()))
        {
            final WsTestClient client = WsTestClient.connect(live.websocketUrl()).join(FailingGame.TYPE, "bad-1");
            assertEquals(CloseCodes.INTERNAL_ERROR, client.closeStatus.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(Notice.CODE_ROOM_CLOSED, client.lastNoticeCode(), client.notices.toString());
            assertEquals(0, client.snapshots.get(), "a faulted room sends no snapshot");

            final long closed = live.server().shardCounters(router.shardOf("bad-1")).roomsClosedFaulted.get();
            assertEquals(1, closed);
            await().atMost(WAIT).until(() -> !live.get("/rooms").body().contains("bad-1"));
            assertTrue(live.get("/metrics").body().contains("tickwire_rooms_closed_total{reason=\"faulted\",shard=\"" +
                router.shardOf("bad-1") + "\"} 1.0"));
            assertEquals(200, live.get("/health").statusCode(), "a closed room is not a sick server");
        }
    }

    private void aFailingShardIsReportedAndItsClientsClosed(
        final String prefix, final Class<? extends Error> errorType) throws Exception
    {
        final String doomed = roomOnShard(prefix, 0);
        final String calm = roomOnShard("calm-", 1);
        try (LiveServer live = LiveServer.start(config(), catalog()))
        {
            assertEquals(200, live.get("/health").statusCode());
            final WsTestClient bystander = WsTestClient.connect(live.websocketUrl()).join("arena", calm);
            final WsTestClient waiting = WsTestClient.connect(live.websocketUrl()).join("arena", roomOnShard("a-", 0));
            await().atMost(WAIT).until(() -> bystander.snapshots.get() > 0 && waiting.snapshots.get() > 0);

            final WsTestClient victim = WsTestClient.connect(live.websocketUrl()).join(FailingGame.TYPE, doomed);
            assertEquals(CloseCodes.INTERNAL_ERROR, victim.closeStatus.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(CloseCodes.INTERNAL_ERROR, waiting.closeStatus.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                "every client of the failed shard is closed");

            final HttpResponse<String> health = live.get("/health");
            assertEquals(503, health.statusCode());
            assertEquals("shard 0: failed (" + errorType.getName() + ")\n", health.body());

            final WsTestClient late = WsTestClient.connect(live.websocketUrl()).join("arena", roomOnShard("b-", 0));
            assertEquals(CloseCodes.INTERNAL_ERROR, late.closeStatus.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(Notice.CODE_SERVER_ERROR, late.lastNoticeCode(), "a join to a failed shard is refused");
            assertEquals(3, live.server().netCounters().shardFailureCloses.get());

            // The test client acknowledges nothing, so it is sent a full snapshot every few ticks, not every tick.
            final int before = bystander.snapshots.get();
            await().atMost(WAIT).until(() -> bystander.snapshots.get() > before + 3);
            assertFalse(bystander.closeStatus.isDone(), "the other shard serves on");
            bystander.abort();
        }
    }

    private String roomOnShard(final String prefix, final int shard)
    {
        for (int i = 0; ; i++)
        {
            if (router.shardOf(prefix + i) == shard)
            {
                return prefix + i;
            }
        }
    }

    private static ServerConfig config()
    {
        final ServerConfig base = LiveServer.config(SHARDS);
        final ShardConfig d = base.shard();
        final ShardConfig shard = new ShardConfig(d.tickRateHz(), d.maxCatchUpTicks(), d.ringCapacity(),
            d.maxRoomsPerShard(), d.maxInputsPerTick(), d.pendingInputCapacity(), d.historyWindowTicks(),
            d.viewRadius(), d.viewHysteresis(), d.maxEntitiesPerSnapshot(), d.checksums(), d.maxUnackedMessages(),
            d.seed(), MAX_FAULTED_TICKS);
        return new ServerConfig(base.host(), base.port(), base.ioThreads(), base.shards(), base.pinnedRooms(),
            base.maxRooms(), base.idleTimeoutSeconds(), base.writeBufferLowBytes(), base.writeBufferHighBytes(),
            base.maxMessagesPerSecond(), shard);
    }

    private static GameCatalog catalog()
    {
        final List<GameType> types = new ArrayList<>(LiveServer.catalog().types());
        types.add(FailingGame.type());
        return new GameCatalog(types);
    }
}
