package io.tickwire.net;

import io.tickwire.bots.Behaviour;
import io.tickwire.bots.GameKind;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.sim.ShardCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server with resume on and tag bots that drop their sockets abruptly mid-run (no close frame, as a lost
 * network) and resume with their tokens: every bot gets its own player and avatar back (else RESUME_MISMATCH), its
 * stream goes on with the very next sequence (else BAD_STREAM_SEQUENCE), none of its chats comes back twice (else
 * DUPLICATE_MESSAGE), every chat reaches the game exactly once, and no checksum ever mismatches.
 */
class ResumeIntegrationTest
{
    private static final int BOTS = 24;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void botsThatLoseTheirConnectionResumeTheirSeatsWithEveryMessageExactlyOnceAndInOrder() throws Exception
    {
        final ServerConfig base = LiveServer.config(1);
        final ServerConfig config = new ServerConfig(base.host(), base.port(), base.ioThreads(), base.shards(),
            base.pinnedRooms(), base.maxRooms(), base.idleTimeoutSeconds(), base.writeBufferLowBytes(),
            base.writeBufferHighBytes(), base.maxMessagesPerSecond(),
            base.shard().withResumeGraceNs(TimeUnit.SECONDS.toNanos(10)));
        try (LiveServer live = LiveServer.start(config, LiveServer.catalog()))
        {
            final TickwireServer server = live.server();
            final SwarmResult result = new Swarm(SwarmConfig.builder(live.websocketUrl())
                .bots(BOTS).rooms(2).durationNs(TimeUnit.SECONDS.toNanos(8)).game(GameKind.TAG)
                .behaviour(Behaviour.CHASE).seed(11).churnPerSecond(0.1).resume(true).build()).run();

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertEquals(0, result.checksumMismatches(), result.summary());
            assertEquals(0, result.presenceMismatches(), result.summary());
            assertTrue(result.resumes() >= 3, result.summary());
            assertEquals(result.reconnects(), result.resumes(), "every bot that came back resumed: " +
                result.summary());
            assertEquals(0, result.resumesRefused(), result.summary());
            assertEquals(BOTS, result.joinedCount(), result.summary());
            assertTrue(result.messagesSent() >= BOTS, result.summary());

            final ShardCounters counters = server.shardCounters(0);
            assertEquals(result.resumes(), counters.resumes.get());
            assertEquals(BOTS, counters.joins.get(), "no bot joined afresh: each took its own seat back");
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(BOTS, counters.leaves.get(),
                "each bot left once, with its LEAVE at the end: no seat was lost during the run"));
            assertEquals(0, counters.seatsExpired.get());
            assertEquals(result.messagesSent(), counters.clientMessages.get(),
                "every chat a bot sent reached its game exactly once");
            assertEquals(0, counters.errors.get());
            assertEquals(0, counters.messageBacklogCloses.get());
            assertEquals(0, counters.clientMessageGaps.get());
            assertEquals(0, server.netCounters().invalidMessagesTotal());
        }
    }
}
