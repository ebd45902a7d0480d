package io.tickwire.net;

import io.tickwire.bots.Behaviour;
import io.tickwire.bots.GameKind;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.sim.ShardCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both built-in games on one live server at once, played by real bots over the real protocol: arena bots walk;
 * tag bots walk, aim, fire (lag-compensated hits, a kill feed), chat and time each chat's trip back through the
 * room. Every bot checks every snapshot's checksum, the order of every stream message (room messages and presence)
 * and its presence list, which must agree across the bots of a room.
 */
class GamesIntegrationTest
{
    private static final int ARENA_BOTS = 30;
    private static final int TAG_BOTS = 24;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void arenaAndTagRunSideBySideWithEveryMessageDeliveredInOrderAndPresenceAgreed() throws Exception
    {
        try (LiveServer live = LiveServer.start(2, "arena:demo"))
        {
            final TickwireServer server = live.server();
            final SwarmConfig tag = SwarmConfig.builder(live.websocketUrl())
                .bots(TAG_BOTS).rooms(2).durationNs(TimeUnit.SECONDS.toNanos(6)).game(GameKind.TAG)
                .behaviour(Behaviour.CHASE).seed(7).build();
            final FutureTask<SwarmResult> tagRun = new FutureTask<>(() -> new Swarm(tag).run());
            new Thread(tagRun, "tag-swarm").start();
            final SwarmResult arena = new Swarm(SwarmConfig.builder(live.websocketUrl())
                .bots(ARENA_BOTS).rooms(3).durationNs(TimeUnit.SECONDS.toNanos(6)).game(GameKind.ARENA).build()).run();
            final SwarmResult tagResult = tagRun.get(60, TimeUnit.SECONDS);

            for (final SwarmResult result : new SwarmResult[] {arena, tagResult})
            {
                assertEquals(Map.of(), result.errorsByKind(), result.summary());
                assertTrue(result.passed(), result.summary());
                assertEquals(0, result.checksumMismatches(), result.summary());
                assertEquals(0, result.presenceMismatches(), result.summary());
                assertTrue(result.deltaSnapshots() > 10 * result.fullSnapshots(), result.summary());
            }
            assertEquals(ARENA_BOTS, arena.joinedCount(), arena.summary());
            assertEquals(TAG_BOTS, tagResult.joinedCount(), tagResult.summary());
            assertEquals(3, arena.presenceRooms(), arena.summary());
            assertEquals(2, tagResult.presenceRooms(), tagResult.summary());

            assertTrue(tagResult.messagesSent() >= TAG_BOTS, tagResult.summary());
            assertTrue(tagResult.messagesDelivered() >= tagResult.messagesSent() - TAG_BOTS,
                "every chat comes back to its sender, but for one per bot still in flight when it stops: " +
                tagResult.summary());
            assertTrue(tagResult.messagesReceived() >= tagResult.messagesDelivered() * (TAG_BOTS / 2 - 1),
                "a chat reaches every bot of its room: " + tagResult.summary());
            assertTrue(tagResult.messageLatencySamples() > 0, tagResult.summary());

            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertEquals(0, server.netCounters().activeSessions(), "every bot closed"));
            long clientMessages = 0;
            long roomMessages = 0;
            long presenceEvents = 0;
            for (int shard = 0; shard < server.shardCount(); shard++)
            {
                final ShardCounters counters = server.shardCounters(shard);
                assertEquals(0, counters.errors.get());
                assertEquals(0, counters.gameErrors.get());
                assertEquals(0, counters.acksIgnored.get(), "a well-behaved client's acks are never ignored");
                assertEquals(0, counters.streamAcksIgnored.get());
                assertEquals(0, counters.messageBacklogCloses.get());
                clientMessages += counters.clientMessages.get();
                roomMessages += counters.roomMessagesSent.get();
                presenceEvents += counters.presenceEvents.get();
            }
            assertEquals(tagResult.messagesSent(), clientMessages, "every chat a bot sent reached its game");
            assertTrue(roomMessages >= clientMessages,
                "each chat is relayed, besides kill feed and rounds: " + roomMessages);
            assertTrue(presenceEvents >= 2L * (ARENA_BOTS + TAG_BOTS), "a join and a leave each, at least");
            assertEquals(0, server.netCounters().invalidMessagesTotal());
            assertEquals(0, server.errorCount());
            for (final ClientMessageError error : ClientMessageError.values())
            {
                assertEquals(0, server.netCounters().invalidMessages(error), error.name());
            }
        }
    }
}
