package io.tickwire.bots;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.tickwire.codec.WireFormat;

import javax.net.ssl.SSLException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline of one bot's connection, in one place:
 * <pre>
 *   [TLS] -> HttpClientCodec -> HttpObjectAggregator -> WebSocketClientProtocolHandler -> BotHandler
 *   the handshake replaces the HTTP codec and aggregator with Netty's WebSocket frame decoder and encoder, and the
 *   bot puts its ServerFrameReader in place of that decoder:
 *   [TLS] -> ServerFrameReader -> ws-encoder -> ... -> WebSocketClientProtocolHandler -> BotHandler
 *            frames in: straight to the BotSession; its binary frames out: from here, past the handlers behind
 * </pre>
 * The protocol handler offers the target's subprotocols: {@link WireFormat#SUBPROTOCOL}, then, through a matchmaker,
 * the reservation ({@code tickwire.rsv.<jwt>}) or the mark of a RESUME ({@code tickwire.resume}), or, when the swarm
 * mints tokens and has no matchmaker, the bot's token ({@code tickwire.token.<jwt>}); it fails the handshake unless the
 * server picks one of them, and the server picks {@link WireFormat#SUBPROTOCOL}. Close frames reach the bot, which
 * decides whether a close was asked for.
 */
final class BotChannelInitializer extends ChannelInitializer<Channel>
{
    private static final int MAX_HANDSHAKE_RESPONSE_LENGTH = 8192;

    private final SwarmConfig config;
    private final WebSocketClientProtocolConfig webSocketConfig;
    private final SslContext tls;
    private final BotHandler handler;
    private final ConnectTarget target;

    /**
     * @param webSocketConfig the swarm's shared settings ({@link #webSocketConfig}).
     * @param tls             the swarm's TLS context ({@link #tlsContext}), or null when no bot connects over wss.
     * @param target          where this connection goes.
     */
    BotChannelInitializer(
        final SwarmConfig config, final WebSocketClientProtocolConfig webSocketConfig, final SslContext tls,
        final BotHandler handler, final ConnectTarget target)
    {
        this.config = config;
        this.webSocketConfig = webSocketConfig;
        this.tls = tls;
        this.handler = handler;
        this.target = target;
    }

    /**
     * @return the WebSocket client settings every bot of a swarm shares.
     */
    static WebSocketClientProtocolConfig webSocketConfig(final SwarmConfig config)
    {
        return WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(config.url())
            .subprotocol(WireFormat.SUBPROTOCOL)
            .version(WebSocketVersion.V13)
            .allowExtensions(false)
            .maxFramePayloadLength(BotGroup.MAX_PAYLOAD_LENGTH)
            .handleCloseFrames(false)
            .sendCloseFrame(null)
            .handshakeTimeoutMillis(TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNs()))
            .forceCloseTimeoutMillis(TimeUnit.NANOSECONDS.toMillis(config.closeTimeoutNs()))
            .build();
    }

    /**
     * @return the client TLS context of a wss swarm or of one going through a matchmaker (which may name wss nodes),
     * or null otherwise; trusts any certificate when the swarm says so (a self-signed development server), else the
     * JDK's trusted authorities with host name checks.
     */
    static SslContext tlsContext(final SwarmConfig config)
    {
        if (!config.isTls() && config.matchmaker() == null)
        {
            return null;
        }
        try
        {
            final SslContextBuilder builder = SslContextBuilder.forClient();
            if (config.trustAnyCertificate())
            {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
            }
            else
            {
                builder.endpointIdentificationAlgorithm("HTTPS");
            }
            return builder.build();
        }
        catch (final SSLException ex)
        {
            throw new IllegalArgumentException("cannot set up TLS: " + ex.getMessage(), ex);
        }
    }

    protected void initChannel(final Channel channel)
    {
        if (target.isTls())
        {
            channel.pipeline().addLast(
                tls.newHandler(channel.alloc(), target.uri().getHost(), ConnectTarget.port(target.uri())));
        }
        channel.pipeline().addLast(
            new HttpClientCodec(),
            new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_LENGTH),
            new WebSocketClientProtocolHandler(withToken()),
            handler);
    }

    /**
     * @return the shared settings aimed at the target, offering its subprotocols, and a token freshly minted for this
     * bot after them when the swarm mints tokens and has no matchmaker (through one, the reservation is the proof).
     */
    private WebSocketClientProtocolConfig withToken()
    {
        if (config.tokens() == null || config.matchmaker() != null)
        {
            return target.uri().equals(webSocketConfig.webSocketUri()) &&
                target.subprotocols().equals(webSocketConfig.subprotocol()) ? webSocketConfig :
                webSocketConfig.toBuilder().webSocketUri(target.uri()).subprotocol(target.subprotocols()).build();
        }
        final String token = config.tokens().mint(handler.botIndex(), Instant.now());
        return webSocketConfig.toBuilder()
            .subprotocol(target.subprotocols() + "," + BotTokens.TOKEN_SUBPROTOCOL_PREFIX + token)
            .build();
    }
}
