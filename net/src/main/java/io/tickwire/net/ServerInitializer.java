package io.tickwire.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.pipeline.ClientMessageHandler;
import io.tickwire.net.pipeline.HttpEndpointHandler;
import io.tickwire.net.pipeline.NotReadingGuard;
import io.tickwire.net.pipeline.UpgradeGuard;
import io.tickwire.sim.RoomInfo;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The whole pipeline of a client connection, in one place:
 * <pre>
 *   http codec -> aggregator (8 KiB) -> idle timeout -> upgrade guard (subprotocol) -> WebSocket handshake and
 *   frames at WEBSOCKET_PATH (client frames masked, at most 256 bytes, control frames handled) ->
 *   HTTP endpoints (health, metrics, rooms, 404) -> not-reading deadline -> client messages (validate, publish to
 *   the shard ring)
 * </pre>
 * With the epoll transport the kernel queues at most {@link ServerConfig#tcpNotSentLowatBytes()} unsent bytes per
 * connection, so a client that stops reading fills Netty's buffer, and has its snapshots conflated, soon after its
 * own receive buffer is full, instead of after megabytes of autotuned send buffer.
 * Outbound snapshot frames are pre-framed by {@link OutboundFrames} and written as raw buffers.
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel>
{
    static final String WEBSOCKET_PATH = "/ws";
    private static final int MAX_HTTP_REQUEST_LENGTH = 8192;

    private final Gateway gateway;
    private final ServerConfig config;
    private final UpgradeGuard upgradeGuard;
    private final HttpEndpointHandler httpEndpoints;
    private final WebSocketServerProtocolConfig websocketConfig;

    /**
     * @param rooms          the rooms as the shards last published them, for {@code GET /rooms}; called on event
     *                       loops.
     * @param healthProblems what {@code GET /health} reports, empty when healthy; called on event loops.
     */
    ServerInitializer(
        final Gateway gateway, final ServerConfig config, final ServerMetrics metrics,
        final Supplier<List<RoomInfo>> rooms, final Supplier<String> healthProblems)
    {
        this.gateway = gateway;
        this.config = config;
        this.upgradeGuard = new UpgradeGuard(WEBSOCKET_PATH, gateway.counters());
        this.httpEndpoints = new HttpEndpointHandler(gateway.counters(), metrics, rooms, healthProblems);
        this.websocketConfig = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(WEBSOCKET_PATH)
            .subprotocols(WireFormat.SUBPROTOCOL)
            .checkStartsWith(false)
            .handleCloseFrames(true)
            .dropPongFrames(true)
            .handshakeTimeoutMillis(TimeUnit.SECONDS.toMillis(10))
            .decoderConfig(WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(WireFormat.MAX_CLIENT_MESSAGE_LENGTH)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .withUTF8Validator(false)
                .build())
            .build();
    }

    /**
     * Once a connection is a WebSocket, no HTTP request can arrive on it: drops the HTTP-only handlers (and itself)
     * so every game message skips them.
     */
    private static final ChannelInboundHandlerAdapter HTTP_TRIMMER = new HttpTrimmer();

    protected void initChannel(final SocketChannel channel)
    {
        final NetCounters counters = gateway.counters();
        counters.connectionsOpened.incrementAndGet();
        channel.closeFuture().addListener(future -> counters.connectionsClosed.incrementAndGet());
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        if (config.tcpNotSentLowatBytes() > 0 && channel instanceof EpollSocketChannel)
        {
            channel.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, (long)config.tcpNotSentLowatBytes());
        }
        channel.config().setWriteBufferWaterMark(
            new WriteBufferWaterMark(config.writeBufferLowBytes(), config.writeBufferHighBytes()));

        channel.pipeline()
            .addLast("http", new HttpServerCodec())
            .addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_REQUEST_LENGTH))
            .addLast("idle", new IdleStateHandler(config.idleTimeoutSeconds(), 0, 0, TimeUnit.SECONDS))
            .addLast("upgrade-guard", upgradeGuard)
            .addLast("websocket", new WebSocketServerProtocolHandler(websocketConfig))
            .addLast("http-trimmer", HTTP_TRIMMER)
            .addLast("http-endpoints", httpEndpoints)
            .addLast("not-reading", new NotReadingGuard(TimeUnit.MILLISECONDS.toNanos(config.notReadingTimeoutMs())))
            .addLast("client", new ClientMessageHandler(gateway, config.maxMessagesPerSecond()));
    }

    @ChannelHandler.Sharable
    private static final class HttpTrimmer extends ChannelInboundHandlerAdapter
    {
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
            {
                ctx.pipeline().remove("upgrade-guard");
                ctx.pipeline().remove("http-endpoints");
                ctx.pipeline().remove(this);
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
