package io.tickwire.bots;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
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
 *   [TLS] -> HttpClientCodec -> HttpObjectAggregator -> WebSocketClientProtocolHandler -> WebSocketFrameAggregator
 *   -> BotHandler
 *   (the handshake replaces the HTTP codec and aggregator with the WebSocket frame decoder and encoder)
 * </pre>
 * The protocol handler offers {@link WireFormat#SUBPROTOCOL} (and, when the swarm mints tokens, the bot's token as a
 * second entry {@code tickwire.token.<jwt>}) and fails the handshake unless the server picks one of them; the server
 * picks {@link WireFormat#SUBPROTOCOL}. Close frames reach the bot, which decides whether a close was asked for.
 */
final class BotChannelInitializer extends ChannelInitializer<Channel>
{
    private static final int MAX_HANDSHAKE_RESPONSE_LENGTH = 8192;

    private final SwarmConfig config;
    private final WebSocketClientProtocolConfig webSocketConfig;
    private final SslContext tls;
    private final BotHandler handler;

    /**
     * @param webSocketConfig the swarm's shared settings ({@link #webSocketConfig}).
     * @param tls             the swarm's TLS context ({@link #tlsContext}), or null for ws.
     */
    BotChannelInitializer(
        final SwarmConfig config, final WebSocketClientProtocolConfig webSocketConfig, final SslContext tls,
        final BotHandler handler)
    {
        this.config = config;
        this.webSocketConfig = webSocketConfig;
        this.tls = tls;
        this.handler = handler;
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
     * @return the client TLS context of a wss swarm, or null for ws; trusts any certificate when the swarm says so
     * (a self-signed development server), else the JDK's trusted authorities with host name checks.
     */
    static SslContext tlsContext(final SwarmConfig config)
    {
        if (!config.isTls())
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
        if (tls != null)
        {
            channel.pipeline().addLast(tls.newHandler(channel.alloc(), config.url().getHost(), config.port()));
        }
        channel.pipeline().addLast(
            new HttpClientCodec(),
            new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_LENGTH),
            new WebSocketClientProtocolHandler(withToken()),
            new WebSocketFrameAggregator(BotGroup.MAX_PAYLOAD_LENGTH),
            handler);
    }

    /**
     * @return the shared settings, with a token freshly minted for this bot offered after the subprotocol when the
     * swarm mints tokens.
     */
    private WebSocketClientProtocolConfig withToken()
    {
        if (config.tokens() == null)
        {
            return webSocketConfig;
        }
        final String token = config.tokens().mint(handler.botIndex(), Instant.now());
        return webSocketConfig.toBuilder()
            .subprotocol(WireFormat.SUBPROTOCOL + "," + BotTokens.TOKEN_SUBPROTOCOL_PREFIX + token)
            .build();
    }
}
