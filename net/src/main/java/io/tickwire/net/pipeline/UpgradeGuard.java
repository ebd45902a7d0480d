package io.tickwire.net.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.api.Identity;
import io.tickwire.cluster.ConsumeResult;
import io.tickwire.cluster.Reservation;
import io.tickwire.cluster.ReservationTokens;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;
import io.tickwire.net.ReservedSeat;
import io.tickwire.net.Session;
import io.tickwire.net.TokenVerifier;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides, before Netty's handshake and before any room work, whether a request to the game path may become a
 * WebSocket. In order:
 * <pre>
 *   Origin header present, not in the allow-list (when one is set), and    403 ORIGIN_NOT_ALLOWED
 *   not the server's own origin (its host and port those of Host)
 *   Sec-WebSocket-Protocol does not offer tickwire.v2                      400 NO_SUBPROTOCOL
 *   tokens required: no token, or one the verifier refuses                 401 TOKEN_* (403 TOKEN_WRONG_AUDIENCE)
 * </pre>
 * A token travels as a {@code Sec-WebSocket-Protocol} entry {@code tickwire.token.<jwt>} (browsers cannot set other
 * headers) or as the query parameter {@code token}. A request that passes leaves with its token removed: the
 * protocol list keeps the other entries (so the server answers {@code tickwire.v2} alone) and the URI loses its
 * query string (so Netty's exact path match accepts {@code /ws?token=...} and nothing downstream, logs included,
 * ever sees the token). The verified identity goes on the channel ({@link Session#IDENTITY}). Other paths pass
 * through untouched. Sharable; on the channel's event loop.
 * <p>
 * Clustered (with a {@link ReservationGate}), the bearer token is replaced by a seat reservation from
 * {@code POST /matchmake}: entry {@code tickwire.rsv.<jwt>} or query parameter {@code rsv}, removed the same way.
 * <pre>
 *   no reservation (and no tickwire.resume)                                401 RESERVATION_MISSING
 *   not signed by the cluster, or not a reservation                        401 RESERVATION_FORGED
 *   past its expiry                                                        410 RESERVATION_EXPIRED
 *   for another node                                                       421 WRONG_NODE
 *   then, reading paused, consume.lua: used or unknown 410 RESERVATION_USED, expired 410 RESERVATION_EXPIRED,
 *   the room moved 421 WRONG_NODE, Redis silent 503 CLUSTER_UNAVAILABLE; taken (or a rejoin): the handshake goes on
 *   on the event loop with the reservation's identity and {@link Session#RESERVED_SEAT}
 * </pre>
 * An entry {@code tickwire.resume} instead opens a connection that may only RESUME a seat this node holds: it needs
 * no Redis; its identity comes from a previous reservation offered beside it (signed by the cluster, at most an
 * hour old, expiry not checked) or, without one, from the bearer token when tokens are required.
 */
@ChannelHandler.Sharable
public final class UpgradeGuard extends ChannelInboundHandlerAdapter
{
    /** Prefix of the subprotocol entry that carries a token. */
    public static final String TOKEN_SUBPROTOCOL_PREFIX = "tickwire.token.";
    /** Query parameter that carries a token. */
    public static final String TOKEN_QUERY_PARAMETER = "token";
    /** Clustered: prefix of the subprotocol entry that carries a seat reservation. */
    public static final String RESERVATION_SUBPROTOCOL_PREFIX = "tickwire.rsv.";
    /** Clustered: query parameter that carries a seat reservation. */
    public static final String RESERVATION_QUERY_PARAMETER = "rsv";
    /** Clustered: the subprotocol entry of a connection that only resumes a seat held on this node. */
    public static final String RESUME_SUBPROTOCOL = "tickwire.resume";

    /** Set while the channel's reservation is being consumed: anything else read meanwhile is refused. */
    private static final AttributeKey<Boolean> CONSUMING = AttributeKey.valueOf("tickwire.consuming");

    private final String websocketPath;
    private final NetCounters counters;
    private final TokenVerifier tokens;
    private final Set<String> allowedOrigins;
    private final ReservationGate reservations;

    /**
     * An upgrade guard that requires no token and allows any origin.
     */
    public UpgradeGuard(final String websocketPath, final NetCounters counters)
    {
        this(websocketPath, counters, null, List.of());
    }

    /**
     * A single node's guard.
     *
     * @param tokens         the verifier of tokens, or null to accept clients without one.
     * @param allowedOrigins origins a browser page may connect from; empty for any.
     */
    public UpgradeGuard(
        final String websocketPath, final NetCounters counters, final TokenVerifier tokens,
        final List<String> allowedOrigins)
    {
        this(websocketPath, counters, tokens, allowedOrigins, null);
    }

    /**
     * @param tokens         the verifier of tokens, or null to accept clients without one.
     * @param allowedOrigins origins a browser page may connect from; empty for any.
     * @param reservations   clustered: the check of seat reservations, which then replace tokens; null on a single
     *                       node.
     */
    public UpgradeGuard(
        final String websocketPath, final NetCounters counters, final TokenVerifier tokens,
        final List<String> allowedOrigins, final ReservationGate reservations)
    {
        this.websocketPath = websocketPath;
        this.counters = counters;
        this.tokens = tokens;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.reservations = reservations;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (ctx.channel().hasAttr(CONSUMING) && ctx.channel().attr(CONSUMING).get() != null)
        {
            ReferenceCountUtil.release(msg);
            refuse(ctx, Refusal.HTTP_BAD_REQUEST);
            return;
        }
        if (msg instanceof FullHttpRequest)
        {
            final FullHttpRequest request = (FullHttpRequest)msg;
            final String uri = request.uri();
            if (websocketPath.equals(HttpEndpointHandler.pathOf(uri)))
            {
                final Credentials credentials = credentialsOf(request);
                request.setUri(websocketPath);
                Refusal refusal = checkRequest(request);
                if (refusal == null && reservations != null)
                {
                    if (!credentials.resume && credentials.reservation != null)
                    {
                        refusal = startConsume(ctx, request, credentials.reservation);
                        if (refusal == null)
                        {
                            return;
                        }
                    }
                    else
                    {
                        refusal = checkResume(ctx, credentials);
                    }
                }
                else if (refusal == null)
                {
                    refusal = checkToken(ctx, credentials.token);
                }
                if (refusal != null)
                {
                    request.release();
                    refuse(ctx, refusal);
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * @return why the request may not become a WebSocket whoever sends it (origin, subprotocol), or null.
     */
    private Refusal checkRequest(final FullHttpRequest request)
    {
        final String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(origin) &&
            !isSameOrigin(origin, request.headers().get(HttpHeaderNames.HOST)))
        {
            return Refusal.ORIGIN_NOT_ALLOWED;
        }
        if (!offersSubprotocol(request))
        {
            return Refusal.NO_SUBPROTOCOL;
        }
        return null;
    }

    /**
     * @return why the token is refused, or null when it may go on (with its identity set when tokens are on).
     */
    private Refusal checkToken(final ChannelHandlerContext ctx, final String token)
    {
        if (tokens != null)
        {
            final TokenVerifier.Verdict verdict = tokens.verify(token);
            if (verdict.refusal() != null)
            {
                return verdict.refusal();
            }
            ctx.channel().attr(Session.IDENTITY).set(verdict.identity());
        }
        return null;
    }

    /**
     * Clustered, no reservation to consume: a resume passes with the identity its proof (or token) shows; anything
     * else is refused.
     */
    private Refusal checkResume(final ChannelHandlerContext ctx, final Credentials credentials)
    {
        if (!credentials.resume)
        {
            return Refusal.RESERVATION_MISSING;
        }
        if (credentials.reservation != null)
        {
            final ReservationTokens.Verdict proof = reservations.verifyProof(credentials.reservation);
            if (proof.reservation() == null)
            {
                return Refusal.RESERVATION_FORGED;
            }
            ctx.channel().attr(Session.IDENTITY).set(proof.reservation().identity());
        }
        else
        {
            final Refusal refusal = checkToken(ctx, credentials.token);
            if (refusal != null)
            {
                return refusal;
            }
        }
        ctx.channel().attr(Session.RESERVED_SEAT).set(ReservedSeat.RESUME_ONLY);
        return null;
    }

    /**
     * Verifies the reservation (CPU only) and, when it holds, pauses reading and asks Redis to take its seat; the
     * handshake goes on in {@link #onConsumed}.
     *
     * @return why the reservation is refused before Redis is asked, or null when Redis was asked.
     */
    private Refusal startConsume(final ChannelHandlerContext ctx, final FullHttpRequest request, final String token)
    {
        final ReservationTokens.Verdict verdict = reservations.verify(token);
        if (verdict.reservation() == null)
        {
            return refusalOf(verdict.refusal());
        }
        final Reservation reservation = verdict.reservation();
        ReadDriver.pause(ctx.channel(), ReadDriver.AWAITING_ANSWER);
        ctx.channel().attr(CONSUMING).set(Boolean.TRUE);
        reservations.consume(reservation).whenComplete((result, error) -> ctx.executor().execute(
            () -> onConsumed(ctx, request, reservation, error == null ? result : ConsumeResult.UNAVAILABLE)));
        return null;
    }

    /**
     * Event loop: the seat was taken (the handshake goes on with the reservation's identity and seat) or refused.
     */
    private void onConsumed(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final Reservation reservation,
        final ConsumeResult result)
    {
        ctx.channel().attr(CONSUMING).set(null);
        if (!ctx.channel().isActive())
        {
            request.release();
            return;
        }
        if (!result.accepted())
        {
            request.release();
            refuse(ctx, refusalOf(result));
            return;
        }
        final Identity identity = reservation.identity();
        ctx.channel().attr(Session.IDENTITY).set(identity);
        ctx.channel().attr(Session.RESERVED_SEAT).set(
            new ReservedSeat(reservation.rid(), reservation.type(), reservation.room(), reservation.rejoin()));
        ReadDriver.resume(ctx.channel(), ReadDriver.AWAITING_ANSWER);
        ctx.fireChannelRead(request);
    }

    private void refuse(final ChannelHandlerContext ctx, final Refusal refusal)
    {
        counters.handshakesRefused.incrementAndGet();
        Refusals.refuse(ctx, counters, refusal, textOf(refusal));
    }

    private static Refusal refusalOf(final ReservationTokens.Refusal refusal)
    {
        switch (refusal)
        {
            case RESERVATION_EXPIRED:
                return Refusal.RESERVATION_EXPIRED;
            case WRONG_NODE:
                return Refusal.WRONG_NODE;
            default:
                return Refusal.RESERVATION_FORGED;
        }
    }

    private static Refusal refusalOf(final ConsumeResult result)
    {
        switch (result)
        {
            case EXPIRED:
                return Refusal.RESERVATION_EXPIRED;
            case WRONG_NODE:
                return Refusal.WRONG_NODE;
            case UNAVAILABLE:
                return Refusal.CLUSTER_UNAVAILABLE;
            default:
                return Refusal.RESERVATION_USED;
        }
    }

    /**
     * What a request to the game path carries besides the protocol version.
     *
     * @param token       the bearer token, or null.
     * @param reservation clustered: the seat reservation, or null.
     * @param resume      clustered: whether it offered {@link #RESUME_SUBPROTOCOL}.
     */
    private record Credentials(String token, String reservation, boolean resume)
    {
    }

    /**
     * Takes the credentials out of the request: returns them, and rewrites the protocol list without their entries.
     * A credential in the protocol list wins over one in the query string.
     */
    private static Credentials credentialsOf(final FullHttpRequest request)
    {
        String token = null;
        String reservation = null;
        boolean resume = false;
        final String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered != null && (offered.contains(TOKEN_SUBPROTOCOL_PREFIX) ||
            offered.contains(RESERVATION_SUBPROTOCOL_PREFIX) || offered.contains(RESUME_SUBPROTOCOL)))
        {
            final StringBuilder kept = new StringBuilder();
            for (final String entry : offered.split(","))
            {
                final String protocol = entry.trim();
                if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
                {
                    token = token == null ? protocol.substring(TOKEN_SUBPROTOCOL_PREFIX.length()) : token;
                }
                else if (protocol.startsWith(RESERVATION_SUBPROTOCOL_PREFIX))
                {
                    reservation = reservation == null ?
                        protocol.substring(RESERVATION_SUBPROTOCOL_PREFIX.length()) : reservation;
                }
                else if (protocol.equals(RESUME_SUBPROTOCOL))
                {
                    resume = true;
                }
                else if (!protocol.isEmpty())
                {
                    kept.append(kept.length() == 0 ? "" : ", ").append(protocol);
                }
            }
            request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, kept.toString());
        }
        if ((token == null || reservation == null) && request.uri().indexOf('?') >= 0)
        {
            final Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
            token = token == null ? first(query, TOKEN_QUERY_PARAMETER) : token;
            reservation = reservation == null ? first(query, RESERVATION_QUERY_PARAMETER) : reservation;
        }
        return new Credentials(token, reservation, resume);
    }

    private static String first(final Map<String, List<String>> query, final String key)
    {
        final List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The page the server itself serves at {@code /} opens its socket from the server's own origin, so that origin
     * is always allowed: the Origin's host and port (80 for http, 443 for https when it names none) equal the Host
     * header's (the same default port when it names none). Hosts compare without case.
     *
     * @return whether {@code origin} is the origin of the server the request was sent to.
     */
    static boolean isSameOrigin(final String origin, final String host)
    {
        final int schemeEnd = origin.indexOf("://");
        if (host == null || host.isEmpty() || schemeEnd < 0)
        {
            return false;
        }
        final String scheme = origin.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        final String defaultPort = "https".equals(scheme) ? "443" : "http".equals(scheme) ? "80" : null;
        if (defaultPort == null)
        {
            return false;
        }
        final String originAuthority = origin.substring(schemeEnd + 3);
        return originAuthority.indexOf('/') < 0 && originAuthority.indexOf('@') < 0 &&
            withPort(originAuthority, defaultPort).equalsIgnoreCase(withPort(host, defaultPort));
    }

    /**
     * @return {@code authority} as {@code host:port}, with {@code defaultPort} when it names none (an IPv6 literal's
     * colons are inside its brackets).
     */
    private static String withPort(final String authority, final String defaultPort)
    {
        return authority.lastIndexOf(':') > authority.lastIndexOf(']') ? authority : authority + ":" + defaultPort;
    }

    private static boolean offersSubprotocol(final FullHttpRequest request)
    {
        final String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered == null)
        {
            return false;
        }
        for (final String protocol : offered.split(","))
        {
            if (WireFormat.SUBPROTOCOL.equals(protocol.trim()))
            {
                return true;
            }
        }
        return false;
    }

    private static String textOf(final Refusal refusal)
    {
        switch (refusal)
        {
            case NO_SUBPROTOCOL:
                return "WebSocket subprotocol " + WireFormat.SUBPROTOCOL + " required\n";
            case ORIGIN_NOT_ALLOWED:
                return "origin not allowed\n";
            case TOKEN_MISSING:
                return "token required\n";
            case TOKEN_WRONG_AUDIENCE:
                return "token not valid for this server\n";
            case RESERVATION_MISSING:
                return "seat reservation required: POST /matchmake\n";
            case RESERVATION_USED:
                return "seat reservation already used\n";
            case RESERVATION_EXPIRED:
                return "seat reservation expired\n";
            case WRONG_NODE:
                return "seat reservation not for this server\n";
            case CLUSTER_UNAVAILABLE:
                return "cluster directory unavailable, try again\n";
            case HTTP_BAD_REQUEST:
                return "bad request\n";
            case RESERVATION_FORGED:
                return "invalid seat reservation\n";
            default:
                return "invalid token\n";
        }
    }
}
