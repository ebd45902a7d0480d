package io.tickwire.bots;

import com.auth0.jwt.JWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MatchmakerClient} over real HTTP against a {@link ScriptedMatchmaker}: the request it sends, the answers it
 * reads, and the failures on the way that become refusals instead of exceptions.
 */
@Timeout(20)
class MatchmakerClientTest
{
    private static final URI NODE = URI.create("ws://127.0.0.1:7801/ws");
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void postsTheRequestAsJsonAndReadsThePlacement() throws Exception
    {
        try (ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(body -> ScriptedMatchmaker.placed(NODE,
            body.get("room").asText(), "eyJqdGkiOiIxIn0")))
        {
            final MatchmakerClient client = new MatchmakerClient(
                List.of(matchmaker.url()), Duration.ofSeconds(2), null);

            final MatchAnswer answer = client.matchmake(new MatchRequest("arena", "arena-2", "bot-05", null), 5, 0)
                .get(5, TimeUnit.SECONDS);

            final MatchAnswer.Placed placed = assertInstanceOf(MatchAnswer.Placed.class, answer);
            assertEquals(NODE, placed.url());
            assertEquals("arena-2", placed.room());
            final ScriptedMatchmaker.Seen seen = matchmaker.seen().get(0);
            assertEquals("POST", seen.method());
            assertEquals("application/json", seen.contentType());
            assertNull(seen.authorization());
            assertEquals("arena", seen.body().get("type").asText());
            assertEquals("bot-05", seen.body().get("name").asText());
            assertTrue(seen.body().get("options").isObject());
        }
    }

    @Test
    void withTokensEachRequestCarriesTheBotsBearerToken() throws Exception
    {
        try (ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(body ->
            new ScriptedMatchmaker.Reply(409, "{\"error\":\"FULL\"}")))
        {
            final MatchmakerClient client = new MatchmakerClient(List.of(matchmaker.url()), Duration.ofSeconds(2),
                new BotTokens(SECRET, null, null, 60));

            final MatchAnswer answer = client.matchmake(new MatchRequest("arena", "any", "bot-07", null), 7, 0)
                .get(5, TimeUnit.SECONDS);

            assertEquals(MatchError.FULL, assertInstanceOf(MatchAnswer.Refused.class, answer).error());
            final String authorization = matchmaker.seen().get(0).authorization();
            assertTrue(authorization.startsWith("Bearer "), authorization);
            assertEquals("bot-07", JWT.decode(authorization.substring("Bearer ".length())).getSubject());
        }
    }

    @Test
    void aMatchmakerThatDoesNotAnswerInTimeIsATransportRefusal() throws Exception
    {
        try (ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(body -> null))
        {
            final MatchmakerClient client = new MatchmakerClient(
                List.of(matchmaker.url()), Duration.ofMillis(300), null);

            final MatchAnswer answer = client.matchmake(new MatchRequest("arena", "any", "bot-01", null), 1, 0)
                .get(5, TimeUnit.SECONDS);

            assertEquals(MatchError.TRANSPORT, assertInstanceOf(MatchAnswer.Refused.class, answer).error());
        }
    }

    @Test
    void noMatchmakerListeningIsATransportRefusal() throws Exception
    {
        final URI nobody;
        try (ScriptedMatchmaker gone = new ScriptedMatchmaker(body -> null))
        {
            nobody = gone.url();
        }
        final MatchAnswer answer = new MatchmakerClient(List.of(nobody), Duration.ofSeconds(1), null)
            .matchmake(new MatchRequest("arena", "any", "bot-01", null), 1, 0).get(5, TimeUnit.SECONDS);

        assertEquals(MatchError.TRANSPORT, assertInstanceOf(MatchAnswer.Refused.class, answer).error());
    }

    @Test
    void eachBotAsksItsOwnMatchmakerAndTheNextOneWhenItDoesNotAnswer() throws Exception
    {
        final URI nobody;
        try (ScriptedMatchmaker gone = new ScriptedMatchmaker(body -> null))
        {
            nobody = gone.url();
        }
        try (ScriptedMatchmaker live = new ScriptedMatchmaker(body -> ScriptedMatchmaker.placed(NODE,
            body.get("room").asText(), "eyJqdGkiOiIxIn0")))
        {
            final MatchmakerClient client =
                new MatchmakerClient(List.of(nobody, live.url()), Duration.ofSeconds(1), null);
            final MatchRequest request = new MatchRequest("arena", "arena-0", "bot-02", null);

            assertEquals(MatchError.TRANSPORT, assertInstanceOf(MatchAnswer.Refused.class,
                client.matchmake(request, 2, 0).get(5, TimeUnit.SECONDS)).error());
            assertInstanceOf(MatchAnswer.Placed.class, client.matchmake(request, 2, 1).get(5, TimeUnit.SECONDS));
            assertInstanceOf(MatchAnswer.Placed.class, client.matchmake(request, 3, 0).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void atMostMaxInFlightRequestsAreOnTheWayAtOnceAndEveryOneIsAnswered() throws Exception
    {
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger mostConcurrent = new AtomicInteger();
        try (ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(body ->
        {
            mostConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            concurrent.decrementAndGet();
            return ScriptedMatchmaker.placed(NODE, body.get("room").asText(), "eyJqdGkiOiIxIn0");
        }, 16))
        {
            final MatchmakerClient client = new MatchmakerClient(List.of(matchmaker.url()), Duration.ofSeconds(5),
                null, 3);
            final List<CompletableFuture<MatchAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++)
            {
                answers.add(client.matchmake(new MatchRequest("arena", "arena-1", "bot-" + i, null), i, 0));
            }

            for (final CompletableFuture<MatchAnswer> answer : answers)
            {
                assertInstanceOf(MatchAnswer.Placed.class, answer.get(10, TimeUnit.SECONDS));
            }
            assertTrue(mostConcurrent.get() <= 3, "at most 3 at once: " + mostConcurrent.get());
            assertEquals(40, client.requestLatencyUs().getTotalCount());
        }
    }

    @Test
    void aRequestThatWaitedLongerThanTheTimeoutIsNotSent() throws Exception
    {
        try (ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(body ->
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(600));
            return new ScriptedMatchmaker.Reply(409, "{\"error\":\"FULL\"}");
        }, 4))
        {
            final MatchmakerClient client = new MatchmakerClient(List.of(matchmaker.url()), Duration.ofMillis(400),
                null, 1);
            final List<CompletableFuture<MatchAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                answers.add(client.matchmake(new MatchRequest("arena", "any", "bot-" + i, null), i, 0));
            }

            assertEquals(MatchError.TRANSPORT, assertInstanceOf(MatchAnswer.Refused.class,
                answers.get(0).get(5, TimeUnit.SECONDS)).error(), "the first timed out on the way");
            assertEquals(MatchError.QUEUED_TOO_LONG, assertInstanceOf(MatchAnswer.Refused.class,
                answers.get(2).get(5, TimeUnit.SECONDS)).error(), "the third waited 800 ms: not sent");
            answers.get(1).get(5, TimeUnit.SECONDS);
            assertTrue(matchmaker.seen().size() <= 2, "sent: " + matchmaker.seen().size());
        }
    }

    @Test
    void aBodyPastTheLimitIsCutOffAndRefused() throws Exception
    {
        final String huge = "{\"error\":\"" + "x".repeat(MatchAnswer.MAX_BODY_LENGTH * 4) + "\"}";
        try (ScriptedMatchmaker matchmaker = new ScriptedMatchmaker(body -> new ScriptedMatchmaker.Reply(200, huge)))
        {
            final MatchAnswer answer = new MatchmakerClient(List.of(matchmaker.url()), Duration.ofSeconds(2), null)
                .matchmake(new MatchRequest("arena", "any", "bot-01", null), 1, 0).get(5, TimeUnit.SECONDS);

            final MatchAnswer.Refused refused = assertInstanceOf(MatchAnswer.Refused.class, answer);
            assertEquals(MatchError.BAD_ANSWER, refused.error());
            assertTrue(refused.detail().contains("" + (MatchAnswer.MAX_BODY_LENGTH + 1)), refused.detail());
        }
    }
}
