package io.tickwire.bots;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a cluster's matchmakers ({@code POST <base>/matchmake}, docs/SCALE.md) for seats, over one JDK
 * {@link HttpClient} for the whole swarm, asynchronously: no bot's event loop ever waits on it. Bot {@code i} asks
 * matchmaker {@code (i + failover) % n}: spread over the nodes, and past one that stopped answering. With tokens,
 * each request carries the bot's freshly minted token as {@code Authorization: Bearer <jwt>}. Every answer is checked
 * by {@link MatchAnswers}; a failure on the way (no connection, a timeout) is a {@link MatchError#TRANSPORT} refusal,
 * so the futures never complete exceptionally. Thread safe.
 */
public final class MatchmakerClient implements BotGroup.Matchmaking
{
    /** The path of the matchmaking endpoint under the base URL. */
    public static final String PATH = "/matchmake";

    private final HttpClient http;
    private final List<URI> endpoints;
    private final Duration timeout;
    private final BotTokens tokens;

    /**
     * @param bases   the matchmakers' HTTP base URLs, e.g. {@code http://127.0.0.1:7777}; at least one.
     * @param timeout bound on connecting and on each request.
     * @param tokens  how to mint the bearer tokens; null for none.
     */
    public MatchmakerClient(final List<URI> bases, final Duration timeout, final BotTokens tokens)
    {
        if (bases.isEmpty())
        {
            throw new IllegalArgumentException("no matchmaker");
        }
        this.endpoints = bases.stream().map(MatchmakerClient::endpoint).toList();
        this.timeout = timeout;
        this.tokens = tokens;
        this.http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    /**
     * Opens a connection to every matchmaker with a {@code GET /health} and waits for the answers (at most the
     * timeout each; failures are ignored), so that the first matchmakes of a run do not time the HTTP client's own
     * start (class loading, its threads, the first connection), hundreds of ms that no later request pays. Call it
     * before the run, on the caller's thread.
     */
    public void warmUp()
    {
        for (final URI endpoint : endpoints)
        {
            final HttpRequest health =
                HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(timeout).GET().build();
            try
            {
                http.send(health, LimitedBodySubscriber.handler(MatchAnswer.MAX_BODY_LENGTH));
            }
            catch (final IOException ex)
            {
                // A matchmaker down now is found again, and counted, by the bots' own requests.
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * @return {@code base} with {@link #PATH} appended (one slash between).
     */
    static URI endpoint(final URI base)
    {
        final String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + PATH);
    }

    public CompletableFuture<MatchAnswer> matchmake(final MatchRequest request, final int botIndex, final int failover)
    {
        final URI endpoint = endpoints.get(Math.floorMod(botIndex + failover, endpoints.size()));
        final HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toJson()));
        if (tokens != null)
        {
            builder.header("Authorization", "Bearer " + tokens.mint(botIndex, Instant.now()));
        }
        return http.sendAsync(builder.build(), LimitedBodySubscriber.handler(MatchAnswer.MAX_BODY_LENGTH))
            .handle((response, failure) -> failure != null ?
                new MatchAnswer.Refused(MatchError.TRANSPORT, 0, failure.toString()) :
                MatchAnswers.parse(response.statusCode(), response.body(), request.room()));
    }
}
