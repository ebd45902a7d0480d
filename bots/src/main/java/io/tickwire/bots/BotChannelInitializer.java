package io.tickwire.bots;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.tickwire.codec.WireFormat;

import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline of one bot's connection, in one place:
 * <pre>
 *   HttpClientCodec -> HttpObjectAggregator -> WebSocketClientProtocolHandler -> WebSocketFrameAggregator -> BotHandler
 *   (the handshake replaces the HTTP codec and aggregator with the WebSocket frame decoder and encoder)
 * </pre>
 * The protocol handler offers {@link WireFormat#SUBPROTOCOL} and fails the handshake unless the server picks it.
 * Close frames reach the bot, which decides whether a close was asked for.
 */
final class BotChannelInitializer extends ChannelInitializer<Channel>
{
    private static final int MAX_HANDSHAKE_RESPONSE_LENGTH = 8192;

    private final WebSocketClientProtocolConfig webSocketConfig;
    private final BotHandler handler;

    BotChannelInitializer(final WebSocketClientProtocolConfig webSocketConfig, final BotHandler handler)
    {
        this.webSocketConfig = webSocketConfig;
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

    protected void initChannel(final Channel channel)
    {
        channel.pipeline().addLast(
            new HttpClientCodec(),
            new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE_LENGTH),
            new WebSocketClientProtocolHandler(webSocketConfig),
            new WebSocketFrameAggregator(BotGroup.MAX_PAYLOAD_LENGTH),
            handler);
    }
}
