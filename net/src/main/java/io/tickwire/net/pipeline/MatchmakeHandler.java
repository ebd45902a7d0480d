package io.tickwire.net.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.cluster.MatchError;
import io.tickwire.cluster.MatchRequest;
import io.tickwire.cluster.MatchResult;
import io.tickwire.cluster.Matchmaker;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.NetCounters;
import io.tickwire.net.TokenVerifier;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.JoinOptionValues;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /matchmake} of a clustered node (installed only with {@code --redis}; without it the path is a 404).
 * <pre>
 *   OPTIONS                          204 CORS preflight for an allowed origin (403 for another)
 *   not POST                         405, Allow: POST, OPTIONS
 *   Origin not allowed               403 ORIGIN_NOT_ALLOWED
 *   the address's budget spent       429 TOO_MANY_MATCHMAKES, retryAfterMs 1000
 *   Content-Type not JSON            415 UNSUPPORTED_MEDIA_TYPE
 *   body over 2 KiB                  413 BODY_TOO_LARGE
 *   tokens required, bearer refused  401 (403 for another audience) TOKEN_*
 *   body not {"type", "room"?, "options"?, "name"?, "rejoin"?} of bounded strings   400 BAD_BODY
 *   type not hosted here             400 UNKNOWN_TYPE       options not the type's (as a JOIN's)   400 BAD_OPTIONS
 *   then the matchmaker's answer: 200 {url, room, reservation, expiresInMs, subject, node}, or its error's status
 *   with {"error": CODE[, "retryAfterMs": N]} (404 ROOM_NOT_FOUND / ROOM_GONE, 409 FULL / LOCKED / EXISTS,
 *   503 RESTORING / NO_NODE); Redis silent for {@code timeoutMs}: 503 UNAVAILABLE
 * </pre>
 * The request is checked on the event loop (CPU only); the matchmaker's stage completes on a Redis thread, and the
 * answer is written back on the channel's event loop, which never waits. Sharable.
 */
@ChannelHandler.Sharable
public final class MatchmakeHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    public static final String MATCHMAKE_PATH = "/matchmake";
    /** Longest request body, in bytes. */
    public static final int MAX_BODY_BYTES = 2048;
    /** Longest rejoin token looked at, in characters. */
    static final int MAX_REJOIN_LENGTH = TokenVerifier.MAX_TOKEN_LENGTH;
    private static final Set<String> FIELDS = Set.of("type", "room", "options", "name", "rejoin");
    private static final String ALLOWED_METHODS = "POST, OPTIONS";
    private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The wait a throttled client is told: about one request's worth of its address's budget. */
    private static final long THROTTLED_RETRY_AFTER_MS = 1_000;

    private final NetCounters counters;
    private final Matchmaker matchmaker;
    private final GameCatalog catalog;
    private final TokenVerifier tokens;
    private final Set<String> allowedOrigins;
    private final long timeoutMs;
    private final MatchmakeBudget budget;

    /**
     * @param tokens         the verifier of bearer tokens, or null when clients need none.
     * @param allowedOrigins origins whose pages may call; empty for any.
     * @param timeoutMs      how long Redis may take before the answer is 503 UNAVAILABLE, in milliseconds.
     * @param perAddressPerSecond matchmakes one IP address may ask for per second, sustained (bursts of
     *                       {@link MatchmakeBudget#BURST_SECONDS} seconds' worth); more are refused 429; 0 for no limit.
     * @param maxAddresses   most addresses whose budget is tracked at once.
     */
    public MatchmakeHandler(
        final NetCounters counters, final Matchmaker matchmaker, final GameCatalog catalog, final TokenVerifier tokens,
        final List<String> allowedOrigins, final long timeoutMs, final int perAddressPerSecond,
        final int maxAddresses)
    {
        this.budget = new MatchmakeBudget(perAddressPerSecond, maxAddresses);
        this.counters = counters;
        this.matchmaker = matchmaker;
        this.catalog = catalog;
        this.tokens = tokens;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.timeoutMs = timeoutMs;
    }

    public boolean acceptInboundMessage(final Object msg)
    {
        return msg instanceof FullHttpRequest &&
            MATCHMAKE_PATH.equals(HttpEndpointHandler.pathOf(((FullHttpRequest)msg).uri()));
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !isAllowed(origin, request.headers().get(HttpHeaderNames.HOST)))
        {
            refuse(ctx, origin, HttpResponseStatus.FORBIDDEN, "ORIGIN_NOT_ALLOWED", 0);
            return;
        }
        if (request.method().equals(HttpMethod.OPTIONS))
        {
            final FullHttpResponse response = HttpEndpointHandler.response(
                HttpResponseStatus.NO_CONTENT, HttpHeaderValues.TEXT_PLAIN.toString(), Unpooled.EMPTY_BUFFER);
            response.headers()
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization")
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
            HttpEndpointHandler.reply(ctx, request, withOrigin(response, origin));
            return;
        }
        if (!request.method().equals(HttpMethod.POST))
        {
            counters.httpMethodNotAllowed.incrementAndGet();
            final FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", 0);
            response.headers().set(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
            HttpEndpointHandler.refuse(ctx, withOrigin(response, origin));
            return;
        }
        if (!budget.tryTake(addressOf(ctx)))
        {
            counters.matchmakesThrottled.incrementAndGet();
            refuse(ctx, origin, HttpResponseStatus.TOO_MANY_REQUESTS, "TOO_MANY_MATCHMAKES", THROTTLED_RETRY_AFTER_MS);
            return;
        }
        final String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !HttpHeaderValues.APPLICATION_JSON.contentEqualsIgnoreCase(
            HttpUtil.getMimeType(contentType)))
        {
            refuse(ctx, origin, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", 0);
            return;
        }
        if (request.content().readableBytes() > MAX_BODY_BYTES)
        {
            refuse(ctx, origin, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "BODY_TOO_LARGE", 0);
            return;
        }
        Identity identity = null;
        if (tokens != null)
        {
            final TokenVerifier.Verdict verdict = tokens.verify(bearerOf(request));
            if (verdict.refusal() != null)
            {
                refuse(ctx, origin, HttpResponseStatus.valueOf(verdict.refusal().httpStatus()),
                    verdict.refusal().name(), 0);
                return;
            }
            identity = verdict.identity();
        }
        final MatchRequest matchRequest;
        try
        {
            matchRequest = parse(request, identity);
        }
        catch (final BadRequest ex)
        {
            refuse(ctx, origin, HttpResponseStatus.BAD_REQUEST, ex.getMessage(), 0);
            return;
        }
        // Every answer closes its connection: plain HTTP connections are closed at the handshake deadline, and a
        // client that reused a kept-alive one just then would lose a POST it may not retry (a seat reserved unseen).
        matchmake(ctx, matchRequest, false, origin);
    }

    /**
     * Hands the request to the matchmaker and answers from the channel's event loop once it has answered, or once
     * {@link #timeoutMs} passed.
     */
    private void matchmake(
        final ChannelHandlerContext ctx, final MatchRequest request, final boolean keepAlive, final String origin)
    {
        final CompletableFuture<MatchResult> answer = new CompletableFuture<>();
        answer.orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        matchmaker.matchmake(request).whenComplete((result, error) ->
        {
            if (error != null)
            {
                answer.completeExceptionally(error);
            }
            else
            {
                answer.complete(result);
            }
        });
        answer.whenComplete((result, error) -> ctx.executor().execute(() ->
        {
            if (ctx.channel().isActive())
            {
                answer(ctx, result, error, keepAlive, origin);
            }
        }));
    }

    private void answer(
        final ChannelHandlerContext ctx, final MatchResult result, final Throwable error, final boolean keepAlive,
        final String origin)
    {
        if (error != null || result == null)
        {
            final boolean timedOut = error instanceof TimeoutException;
            refuse(ctx, origin, HttpResponseStatus.SERVICE_UNAVAILABLE, MatchError.UNAVAILABLE.name(),
                MatchError.UNAVAILABLE.retryAfterMs());
            if (!timedOut)
            {
                counters.violations.record("MATCHMAKER_ERROR", ctx.channel().remoteAddress());
            }
            return;
        }
        if (!result.ok())
        {
            counters.matchmakesRefused.incrementAndGet();
            final FullHttpResponse response =
                error(HttpResponseStatus.valueOf(result.httpStatus()), result.error(), result.retryAfterMs());
            HttpEndpointHandler.reply(ctx, keepAlive, withOrigin(response, origin));
            return;
        }
        counters.matchmakes.incrementAndGet();
        final ObjectNode body = JSON.createObjectNode()
            .put("url", result.url())
            .put("room", result.room())
            .put("reservation", result.reservation())
            .put("expiresInMs", result.expiresInMs())
            .put("subject", result.subject())
            .put("node", result.node());
        HttpEndpointHandler.reply(ctx, keepAlive, withOrigin(json(HttpResponseStatus.OK, body), origin));
    }

    /**
     * Reads the body: an object of bounded strings, the type hosted here, the options the type's (as a JOIN's).
     *
     * @throws BadRequest naming the problem's code.
     */
    private MatchRequest parse(final FullHttpRequest request, final Identity identity) throws BadRequest
    {
        final JsonNode body;
        try (ByteBufInputStream in = new ByteBufInputStream(request.content()))
        {
            body = JSON.readTree(in);
        }
        catch (final IOException ex)
        {
            throw new BadRequest("BAD_BODY");
        }
        if (body == null || !body.isObject())
        {
            throw new BadRequest("BAD_BODY");
        }
        for (final Map.Entry<String, JsonNode> field : body.properties())
        {
            if (!FIELDS.contains(field.getKey()))
            {
                throw new BadRequest("BAD_BODY");
            }
        }
        final GameType type = catalog.get(text(body, "type", true, WireFormat.MAX_NAME_LENGTH));
        if (type == null)
        {
            throw new BadRequest("UNKNOWN_TYPE");
        }
        final String room = text(body, "room", false, WireFormat.MAX_NAME_LENGTH);
        final Map<String, String> options = options(body.get("options"));
        try
        {
            JoinOptionValues.of(type, options);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadRequest("BAD_OPTIONS");
        }
        return new MatchRequest(type.name(), room == null ? MatchRequest.ANY : room, options,
            text(body, "name", false, WireFormat.MAX_NAME_LENGTH), identity,
            text(body, "rejoin", false, MAX_REJOIN_LENGTH));
    }

    /**
     * @return the field's text, 1 to {@code maxLength} UTF-8 bytes (characters for long tokens), or null when it is
     * absent and not required.
     */
    private static String text(final JsonNode body, final String field, final boolean required, final int maxLength)
        throws BadRequest
    {
        final JsonNode value = body.get(field);
        if (value == null || value.isNull())
        {
            if (required)
            {
                throw new BadRequest("BAD_BODY");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty() || value.asText().length() > maxLength ||
            (maxLength == WireFormat.MAX_NAME_LENGTH && Utf8.encodedLength(value.asText()) > maxLength))
        {
            throw new BadRequest("BAD_BODY");
        }
        return value.asText();
    }

    private static Map<String, String> options(final JsonNode options) throws BadRequest
    {
        if (options == null || options.isNull())
        {
            return Map.of();
        }
        if (!options.isObject())
        {
            throw new BadRequest("BAD_OPTIONS");
        }
        final Map<String, String> values = new LinkedHashMap<>();
        for (final Map.Entry<String, JsonNode> option : options.properties())
        {
            if (!option.getValue().isValueNode() || option.getValue().isNull())
            {
                throw new BadRequest("BAD_OPTIONS");
            }
            values.put(option.getKey(), option.getValue().asText());
        }
        return values;
    }

    private static String bearerOf(final FullHttpRequest request)
    {
        final String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return null;
        }
        return authorization.substring(7).trim();
    }

    private boolean isAllowed(final String origin, final String host)
    {
        return allowedOrigins.isEmpty() || allowedOrigins.contains(origin) || UpgradeGuard.isSameOrigin(origin, host);
    }

    private static InetAddress addressOf(final ChannelHandlerContext ctx)
    {
        final SocketAddress remote = ctx.channel().remoteAddress();
        return remote instanceof InetSocketAddress ? ((InetSocketAddress)remote).getAddress() : null;
    }

    private void refuse(
        final ChannelHandlerContext ctx, final String origin, final HttpResponseStatus status, final String code,
        final long retryAfterMs)
    {
        counters.matchmakesRefused.incrementAndGet();
        final FullHttpResponse response = error(status, code, retryAfterMs);
        if (status.code() == HttpResponseStatus.UNAUTHORIZED.code())
        {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"tickwire\"");
        }
        HttpEndpointHandler.refuse(ctx, withOrigin(response, origin));
    }

    private static FullHttpResponse error(final HttpResponseStatus status, final String code, final long retryAfterMs)
    {
        final ObjectNode body = JSON.createObjectNode().put("error", code);
        if (retryAfterMs > 0)
        {
            body.put("retryAfterMs", retryAfterMs);
        }
        final FullHttpResponse response = json(status, body);
        if (retryAfterMs > 0)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString((retryAfterMs + 999) / 1000));
        }
        return response;
    }

    private static FullHttpResponse json(final HttpResponseStatus status, final ObjectNode body)
    {
        try
        {
            return HttpEndpointHandler.response(status, HttpHeaderValues.APPLICATION_JSON.toString(),
                Unpooled.wrappedBuffer(JSON.writeValueAsBytes(body)));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write JSON", ex);
        }
    }

    /**
     * Lets the calling page read the answer when it came from another origin the server allows.
     */
    private static FullHttpResponse withOrigin(final FullHttpResponse response, final String origin)
    {
        if (origin != null)
        {
            response.headers()
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        return response;
    }

    /**
     * A request refused for what its body holds; the message is the error code answered (never the client's text).
     */
    private static final class BadRequest extends Exception
    {
        private static final long serialVersionUID = 1L;

        BadRequest(final String code)
        {
            super(code, null, false, false);
        }
    }
}
