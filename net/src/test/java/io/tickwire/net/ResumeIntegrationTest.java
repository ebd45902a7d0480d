package io.tickwire.net;

import io.tickwire.bots.Behaviour;
import io.tickwire.bots.BotTokens;
import io.tickwire.bots.GameKind;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import io.tickwire.sim.ShardCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server with resume on and tag bots that drop their sockets abruptly mid-run (no close frame, as a lost
 * network) and resume with their tokens: every bot gets its own player and avatar back (else RESUME_MISMATCH), its
 * stream goes on with the very next sequence (else BAD_STREAM_SEQUENCE), none of its chats comes back twice (else
 * DUPLICATE_MESSAGE), every chat reaches the game exactly once, and no checksum ever mismatches. And, with tokens on,
 * the same identity twice: the newer connection takes the seat, and another identity cannot resume it.
 */
class ResumeIntegrationTest
{
    private static final int BOTS = 24;
    private static final String SECRET = "0123456789abcdef0123456789abcdef-resume-secret";

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aNewerConnectionOfTheSameTokenIdentityTakesTheSeatAndAnotherIdentityCannotResumeIt() throws Exception
    {
        final BotTokens tokens = new BotTokens(SECRET, "tickwire", null, 60);
        final ServerConfig base = LiveServer.config(1, "arena:demo");
        final ServerConfig config = new ServerConfig(base.host(), base.port(), base.ioThreads(), base.shards(),
            base.pinnedRooms(), base.maxRooms(), base.idleTimeoutSeconds(), base.writeBufferLowBytes(),
            base.writeBufferHighBytes(), base.maxMessagesPerSecond(),
            base.shard().withResumeGraceNs(TimeUnit.SECONDS.toNanos(10)))
            .withAccess(AccessConfig.defaults().withTokens(new TokenPolicy(SECRET, "tickwire", null, 5)));
        try (LiveServer live = LiveServer.start(config, LiveServer.catalog()))
        {
            final Instant now = Instant.now();
            final WsTestClient ann = connect(live, tokens.mint(1, now)).join("arena", "demo");
            final Welcome first = awaitWelcome(ann);

            final WsTestClient annPhone = connect(live, tokens.mint(1, now)).join("arena", "demo");
            final Welcome taken = awaitWelcome(annPhone);
            assertEquals(first.playerId(), taken.playerId(), "the same player");
            assertEquals(first.entityId(), taken.entityId(), "the same avatar");
            assertEquals(CloseCodes.REPLACED, ann.closeStatus.get(5, TimeUnit.SECONDS));
            assertEquals(Notice.CODE_REPLACED, ann.lastNoticeCode());

            final WsTestClient eve = connect(live, tokens.mint(2, now))
                .send(JoinRequest.resume("arena", "demo", taken.resumeToken(), 0));
            assertEquals(CloseCodes.RESUME_REFUSED, eve.closeStatus.get(5, TimeUnit.SECONDS));
            assertEquals(Notice.CODE_RESUME_REFUSED, eve.lastNoticeCode());

            annPhone.abort();
            final WsTestClient annBack = connect(live, tokens.mint(1, now))
                .send(JoinRequest.resume("arena", "demo", taken.resumeToken(), 0));
            final Welcome resumed = awaitWelcome(annBack);
            assertEquals(first.entityId(), resumed.entityId(), "the token still works for its own identity");
            assertEquals(0, resumed.presenceCount());
            await().atMost(5, TimeUnit.SECONDS).until(() -> annBack.snapshots.get() > 0);

            final ShardCounters counters = live.server().shardCounters(0);
            assertEquals(1, counters.seatsReplaced.get());
            assertEquals(1, counters.resumesRefused.get());
            assertEquals(1, counters.resumes.get());
            assertEquals(1, counters.joins.get(), "one player, one seat");
        }
    }

    private static WsTestClient connect(final LiveServer live, final String token) throws Exception
    {
        return WsTestClient.connect(URI.create(live.websocketUrl() + "?token=" + token));
    }

    private static Welcome awaitWelcome(final WsTestClient client)
    {
        await().atMost(5, TimeUnit.SECONDS).until(() -> !client.welcomes.isEmpty());
        return client.welcomes.get(client.welcomes.size() - 1);
    }

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
            await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(BOTS, counters.leaves.get(),
                "each bot left once: with its LEAVE at the end, or, when the run ended before it was back from a " +
                "drop, when its seat's grace ran out"));
            assertEquals(result.droppedBots() - result.returnedBots(), counters.seatsExpired.get(),
                "no seat expired but those of bots still away at the end: " + result.summary());
            assertEquals(result.messagesSent(), counters.clientMessages.get(),
                "every chat a bot sent reached its game exactly once");
            assertEquals(0, counters.errors.get());
            assertEquals(0, counters.messageBacklogCloses.get());
            assertEquals(0, counters.clientMessageGaps.get());
            assertEquals(0, server.netCounters().invalidMessagesTotal());
        }
    }
}
