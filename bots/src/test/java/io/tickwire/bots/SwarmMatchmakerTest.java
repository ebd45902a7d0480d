package io.tickwire.bots;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole swarms through a {@link ScriptedMatchmaker} in front of {@link FakeServer}s over real loopback sockets: bots
 * that join through the matchmaker, and bots whose node dies re-homing through it to another node.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class SwarmMatchmakerTest
{
    private static final int TICK_RATE_HZ = 20;
    private static final int BOTS = 6;

    @Test
    void botsJoinTheRoomsTheMatchmakerNamesOfferingTheirReservations() throws Exception
    {
        try (FakeServer node = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ);
             ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(body -> ScriptedMatchmaker.placed(node.url(),
                 body.get("room").asText(), "eyJuYW1lIjoi" + body.get("name").asText().replace("-", ""))))
        {
            final SwarmResult result = new Swarm(config(matchmaker.url(), 2_500).build()).run();

            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertEquals(BOTS, result.joinedCount(), result.summary());
            assertEquals(BOTS, result.matchmaking().placed());
            assertEquals(BOTS, result.matchmaking().requestUs().getTotalCount());
            assertEquals(BOTS, result.matchmaking().answerWaitUs().getTotalCount());
            assertTrue(result.matchmakePercentileMs(99) > 0, result.summary());
            assertEquals(Map.of("arena-0", 3, "arena-1", 3), joins(node));
            assertEquals(BOTS, matchmaker.seen().size());
            for (final String offered : node.offeredSubprotocols())
            {
                assertTrue(offered.matches(
                    "tickwire\\.v2, ?tickwire\\.rsv\\.eyJhbGciOiJIUzI1NiJ9\\.eyJuYW1lIjoibot\\d+\\.c2ln"), offered);
            }
            assertTrue(result.summary().contains("matchmaker           6 placed"), result.summary());
            assertTrue(result.toJson().contains("\"placed\" : 6"), result.toJson());
        }
    }

    @Test
    void botsWhoseNodeDiesRehomeThroughTheMatchmakerToAnotherNode() throws Exception
    {
        final FakeServer first = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ);
        try (FakeServer second = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final Set<String> restoring = ConcurrentHashMap.newKeySet();
            final AtomicInteger rejoins = new AtomicInteger();
            final Function<JsonNode, ScriptedMatchmaker.Reply> script = body ->
            {
                final String room = body.get("room").asText();
                if (!body.has("rejoin"))
                {
                    return ScriptedMatchmaker.placed(first.url(), room, "eyJmaXJzdCI6MX0");
                }
                rejoins.incrementAndGet();
                return restoring.add(body.get("name").asText()) ?
                    new ScriptedMatchmaker.Reply(503, "{\"error\":\"RESTORING\",\"retryAfterMs\":300}") :
                    ScriptedMatchmaker.placed(second.url(), room, "eyJzZWNvbmQiOjF9");
            };
            try (ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(script))
            {
                final Swarm swarm = new Swarm(config(matchmaker.url(), 6_000).reconnect(true).build());
                final CompletableFuture<SwarmResult> run = CompletableFuture.supplyAsync(() -> runQuietly(swarm));
                await().atMost(Duration.ofSeconds(10)).until(() -> first.inputsReceived() >= BOTS * 10L);

                first.kill();
                final SwarmResult result = run.get(30, TimeUnit.SECONDS);

                final MatchmakingFigures figures = result.matchmaking();
                assertEquals(Map.of(), result.errorsByKind(), result.summary());
                assertEquals(BOTS, figures.losses(), result.summary());
                assertEquals(BOTS, figures.rehomed(), result.summary());
                assertEquals(0, figures.notBack(), result.summary());
                assertEquals(BOTS, figures.entityKept() + figures.rehomeEntityChanged(), result.summary());
                assertEquals(Map.of(MatchError.RESTORING, (long)BOTS), figures.refusedByError(), result.summary());
                assertEquals(2 * BOTS, rejoins.get());
                assertEquals(joins(first), joins(second), "each bot came back to its room");
                assertTrue(result.rehomePercentileMs(0) >= 300, "no rejoin before the retry-after: " +
                    result.summary());
                for (final ScriptedMatchmaker.Seen seen : matchmaker.seen())
                {
                    if (seen.body().has("rejoin"))
                    {
                        assertTrue(seen.body().get("rejoin").asText().contains(".eyJmaXJzdCI6MX0."), "" + seen);
                    }
                }
                assertEquals(2, figures.lastTickBeforeLoss().size(), result.summary());
            }
        }
        finally
        {
            first.close();
        }
    }

    private static SwarmConfig.Builder config(final URI matchmaker, final long durationMs)
    {
        return SwarmConfig.builder(URI.create("ws://127.0.0.1:1/unused"))
            .bots(BOTS)
            .rooms(2)
            .durationNs(TimeUnit.MILLISECONDS.toNanos(durationMs))
            .warmupNs(0)
            .closeTimeoutNs(TimeUnit.SECONDS.toNanos(1))
            .matchmaker(matchmaker);
    }

    private static Map<String, Integer> joins(final FakeServer server)
    {
        final Map<String, Integer> joins = new TreeMap<>();
        server.joinsByRoom().forEach((room, count) -> joins.put(room, count.get()));
        return joins;
    }

    private static SwarmResult runQuietly(final Swarm swarm)
    {
        try
        {
            return swarm.run();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
