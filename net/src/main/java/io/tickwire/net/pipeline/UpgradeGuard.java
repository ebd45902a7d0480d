package io.tickwire.net.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;
import io.tickwire.net.Session;
import io.tickwire.net.TokenVerifier;

import java.util.List;
import java.util.Locale;
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
 */
@ChannelHandler.Sharable
public final class UpgradeGuard extends ChannelInboundHandlerAdapter
{
    /** Prefix of the subprotocol entry that carries a token. */
    public static final String TOKEN_SUBPROTOCOL_PREFIX = "tickwire.token.";
    /** Query parameter that carries a token. */
    public static final String TOKEN_QUERY_PARAMETER = "token";

    private final String websocketPath;
    private final NetCounters counters;
    private final TokenVerifier tokens;
    private final Set<String> allowedOrigins;

    /**
     * An upgrade guard that requires no token and allows any origin.
     */
    public UpgradeGuard(final String websocketPath, final NetCounters counters)
    {
        this(websocketPath, counters, null, List.of());
    }

    /**
     * @param tokens         the verifier of tokens, or null to accept clients without one.
     * @param allowedOrigins origins a browser page may connect from; empty for any.
     */
    public UpgradeGuard(
        final String websocketPath, final NetCounters counters, final TokenVerifier tokens,
        final List<String> allowedOrigins)
    {
        this.websocketPath = websocketPath;
        this.counters = counters;
        this.tokens = tokens;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof FullHttpRequest)
        {
            final FullHttpRequest request = (FullHttpRequest)msg;
            final String uri = request.uri();
            if (websocketPath.equals(HttpEndpointHandler.pathOf(uri)))
            {
                final String token = tokenOf(request);
                request.setUri(websocketPath);
                final Refusal refusal = check(ctx, request, token);
                if (refusal != null)
                {
                    request.release();
                    counters.handshakesRefused.incrementAndGet();
                    Refusals.refuse(ctx, counters, refusal, textOf(refusal));
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * @return why the upgrade is refused, or null when it may go on (with its identity set when tokens are on).
     */
    private Refusal check(final ChannelHandlerContext ctx, final FullHttpRequest request, final String token)
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
     * Takes the token out of the request: returns it, and rewrites the protocol list without token entries.
     *
     * @return the token from the protocol list, else from the query string, or null.
     */
    private static String tokenOf(final FullHttpRequest request)
    {
        String token = null;
        final String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered != null && offered.contains(TOKEN_SUBPROTOCOL_PREFIX))
        {
            final StringBuilder kept = new StringBuilder();
            for (final String entry : offered.split(","))
            {
                final String protocol = entry.trim();
                if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
                {
                    token = token == null ? protocol.substring(TOKEN_SUBPROTOCOL_PREFIX.length()) : token;
                }
                else if (!protocol.isEmpty())
                {
                    kept.append(kept.length() == 0 ? "" : ", ").append(protocol);
                }
            }
            request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, kept.toString());
        }
        if (token == null && request.uri().indexOf('?') >= 0)
        {
            final List<String> values =
                new QueryStringDecoder(request.uri()).parameters().get(TOKEN_QUERY_PARAMETER);
            token = values == null || values.isEmpty() ? null : values.get(0);
        }
        return token;
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
            default:
                return "invalid token\n";
        }
    }
}
