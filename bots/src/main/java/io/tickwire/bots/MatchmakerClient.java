package io.tickwire.bots;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks a cluster's matchmakers ({@code POST <base>/matchmake}, docs/SCALE.md) for seats, over one JDK
 * {@link HttpClient} for the whole swarm, asynchronously: no bot's event loop ever waits on it. Bot {@code i} asks
 * matchmaker {@code (i + failover) % n}: spread over the nodes, and past one that stopped answering. With tokens,
 * each request carries the bot's freshly minted token as {@code Authorization: Bearer <jwt>}. Every answer is checked
 * by {@link MatchAnswers}; a failure on the way (no connection, a timeout) is a {@link MatchError#TRANSPORT} refusal,
 * so the futures never complete exceptionally.
 * <p>
 * At most {@code maxInFlight} requests are on the way at once; the others wait in a queue, in order. A swarm's
 * ramp would otherwise open a connection per bot at once (thousands, each a TCP handshake and a server-side HTTP
 * pipeline), which measures the client's burst rather than the matchmaker; players of a real game arrive spread
 * out. A request that waited longer than the timeout is not sent at all ({@link MatchError#QUEUED_TOO_LONG}), so
 * no seat is reserved for a bot that gave up. Each request's own time, from being sent to its answer, goes into
 * {@link #requestLatencyUs()}.
 * <p>
 * Thread safe: bots' event loops call {@link #matchmake}; the HTTP client's threads complete the answers.
 */
public final class MatchmakerClient implements BotGroup.Matchmaking
{
    /** The path of the matchmaking endpoint under the base URL. */
    public static final String PATH = "/matchmake";

    /** Requests on the way at once by default; keep-alive connections are reused among them. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;

    private static final int SIGNIFICANT_DIGITS = 3;

    private final HttpClient http;
    private final List<URI> endpoints;
    private final Duration timeout;
    private final BotTokens tokens;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final Recorder requestUs = new Recorder(GroupMetrics.MAX_RECORDED_US, SIGNIFICANT_DIGITS);

    /**
     * @param bases   the matchmakers' HTTP base URLs, e.g. {@code http://127.0.0.1:7777}; at least one.
     * @param timeout bound on connecting and on each request.
     * @param tokens  how to mint the bearer tokens; null for none.
     */
    public MatchmakerClient(final List<URI> bases, final Duration timeout, final BotTokens tokens)
    {
        this(bases, timeout, tokens, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * @param maxInFlight most requests on the way at once, 1 or more.
     * @see #MatchmakerClient(List, Duration, BotTokens)
     */
    public MatchmakerClient(
        final List<URI> bases, final Duration timeout, final BotTokens tokens, final int maxInFlight)
    {
        if (bases.isEmpty() || maxInFlight < 1)
        {
            throw new IllegalArgumentException("need a matchmaker and at least one request in flight");
        }
        this.maxInFlight = maxInFlight;
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
        final CompletableFuture<MatchAnswer> answer = new CompletableFuture<>();
        final long queuedNs = System.nanoTime();
        waiting.add(() ->
        {
            if (System.nanoTime() - queuedNs > timeout.toNanos())
            {
                inFlight.decrementAndGet();
                answer.complete(new MatchAnswer.Refused(MatchError.QUEUED_TOO_LONG, 0, "not sent: waited too long"));
                return;
            }
            send(request, botIndex, failover).whenComplete((sent, neverThrown) ->
            {
                inFlight.decrementAndGet();
                answer.complete(sent);
                sendWaiting();
            });
        });
        sendWaiting();
        return answer;
    }

    /**
     * @return the time of each request from being sent to its answer (or failure), in µs, since the last call; the
     * caller owns the histogram returned.
     */
    public Histogram requestLatencyUs()
    {
        return requestUs.getIntervalHistogram();
    }

    /**
     * Sends waiting requests while fewer than {@code maxInFlight} are on the way; any thread.
     */
    private void sendWaiting()
    {
        while (!waiting.isEmpty())
        {
            final int current = inFlight.get();
            if (current >= maxInFlight)
            {
                return;
            }
            if (inFlight.compareAndSet(current, current + 1))
            {
                final Runnable next = waiting.poll();
                if (next == null)
                {
                    inFlight.decrementAndGet();
                }
                else
                {
                    next.run();
                }
            }
        }
    }

    private CompletableFuture<MatchAnswer> send(final MatchRequest request, final int botIndex, final int failover)
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
        final long sentNs = System.nanoTime();
        return http.sendAsync(builder.build(), LimitedBodySubscriber.handler(MatchAnswer.MAX_BODY_LENGTH))
            .handle((response, failure) ->
            {
                requestUs.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentNs),
                    GroupMetrics.MAX_RECORDED_US));
                return failure != null ? new MatchAnswer.Refused(MatchError.TRANSPORT, 0, failure.toString()) :
                    MatchAnswers.parse(response.statusCode(), response.body(), request.room());
            });
    }
}
