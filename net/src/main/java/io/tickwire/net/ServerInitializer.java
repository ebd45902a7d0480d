package io.tickwire.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.CharsetUtil;
import io.tickwire.codec.WireFormat;
import io.tickwire.io.SocketReadPass;
import io.tickwire.net.pipeline.BinaryFrameFastPath;
import io.tickwire.net.pipeline.ClientMessageHandler;
import io.tickwire.net.pipeline.ClosingHttpAggregator;
import io.tickwire.net.pipeline.ConnectionLimiter;
import io.tickwire.net.pipeline.FrameGuard;
import io.tickwire.net.pipeline.HandshakeDeadline;
import io.tickwire.net.pipeline.HttpEndpointHandler;
import io.tickwire.net.pipeline.HttpRequestGuard;
import io.tickwire.net.pipeline.MatchmakeHandler;
import io.tickwire.net.pipeline.NotReadingGuard;
import io.tickwire.net.pipeline.ReadDriver;
import io.tickwire.net.pipeline.RoomInspectionHandler;
import io.tickwire.net.pipeline.ServerInfo;
import io.tickwire.net.pipeline.StaticFileHandler;
import io.tickwire.net.pipeline.UpgradeGuard;
import io.tickwire.sim.RoomInfo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The whole pipeline of a client connection, in one place:
 * <pre>
 *   at accept: connection caps (total, per IP address) -> 503 / 429 written raw and closed (TLS: closed)
 *   [TLS] -> handshake deadline (accept to WebSocket) -> http codec (request line 4 KiB, headers 8 KiB) ->
 *   http guard (414 / 431 / 400 and close) -> aggregator (body 8 KiB, 413 and close) -> idle timeout ->
 *   upgrade guard (origin, subprotocol, token or, with --redis, seat reservation; strips them) ->
 *   frame guard (every frame charged to the budget; decoder violations and client closes answered with one close
 *   frame) -> WebSocket handshake and frames at WEBSOCKET_PATH (client frames masked, at most 256 bytes, no
 *   extensions; pings answered) -> HTTP endpoints (health, metrics, rooms, server) -> [POST /matchmake, with
 *   --redis] -> [room inspection, with --inspect-rooms] -> static files (the demo and the SDK at /; 404 for
 *   anything else) -> not-reading deadline ->
 *   client messages (validate, publish to the shard ring)
 * </pre>
 * Once the handshake is complete, the HTTP-only handlers are gone and the pipeline is:
 * <pre>
 *   [TLS] -> idle timeout (any byte read) -> binary fast path (whole binary frames, charged to the frame guard's
 *   budget, straight to the client handler) -> Netty's frame decoder (every other frame) -> frame guard ->
 *   WebSocket protocol handler (pings) -> not-reading deadline -> client messages
 * </pre>
 * A plain connection of an epoll loop paced to ticks is then read by the loop's {@link SocketReadPass}, which hands
 * its bytes to the binary fast path and keeps the idle watch itself, until the end of its stream or a close frame.
 * With the epoll and io_uring transports the kernel queues at most {@link ServerConfig#tcpNotSentLowatBytes()}
 * unsent bytes per connection, so a client that stops reading fills Netty's buffer, and has its snapshots conflated,
 * soon after its own receive buffer is full, instead of after megabytes of autotuned send buffer.
 * Outbound snapshot frames are pre-framed by {@link OutboundFrames} and written as raw buffers.
 */
final class ServerInitializer extends ChannelInitializer<SocketChannel>
{
    static final String WEBSOCKET_PATH = "/ws";
    static final String IDLE_TIMER = "idle";
    static final String CLIENT_HANDLER = "client";
    /** Longest request body, in bytes; no endpoint takes a body. */
    static final int MAX_HTTP_REQUEST_LENGTH = 8192;
    /** Longest request line, in bytes: room for a token in the query string. */
    static final int MAX_REQUEST_LINE_BYTES = 4096;
    /** Most bytes of request headers together. */
    static final int MAX_HEADER_BYTES = 8192;
    /** How long {@code POST /matchmake} waits for Redis before it answers 503. */
    static final long MATCHMAKE_TIMEOUT_MS = 1_000;

    private static final byte[] TOO_MANY_CONNECTIONS = rawResponse("503 Service Unavailable", "server full\n");
    private static final byte[] TOO_MANY_FROM_ADDRESS = rawResponse("429 Too Many Requests", "too many connections\n");

    private final Gateway gateway;
    private final ServerConfig config;
    private final SslContext tls;
    private final ConnectionLimiter connectionLimiter;
    private final HttpRequestGuard httpGuard;
    private final UpgradeGuard upgradeGuard;
    private final HttpEndpointHandler httpEndpoints;
    private final MatchmakeHandler matchmake;
    private final RoomInspectionHandler roomInspection;
    private final StaticFileHandler staticFiles;
    private final WebSocketServerProtocolConfig websocketConfig;
    private final HttpTrimmer httpTrimmer;

    /**
     * @param rooms          the rooms as the shards last published them, for {@code GET /rooms}; called on event
     *                       loops.
     * @param healthProblems what {@code GET /health} reports, empty when healthy; called on event loops.
     * @param tokens         the verifier of client tokens, or null when clients need none.
     * @param tls            the server's TLS context, or null for plain connections.
     * @param cluster        clustered: the node's link to the cluster (matchmaking, reservations, cluster-wide
     *                       rooms); null on a single node.
     * @param readPasses     the read pass of an event loop, or null for a loop without one.
     */
    ServerInitializer(
        final Gateway gateway, final ServerConfig config, final ServerMetrics metrics,
        final Supplier<List<RoomInfo>> rooms, final Supplier<String> healthProblems, final TokenVerifier tokens,
        final SslContext tls, final ClusterLink cluster, final Function<EventLoop, SocketReadPass> readPasses)
    {
        final AccessConfig access = config.access();
        this.gateway = gateway;
        this.config = config;
        this.tls = tls;
        this.connectionLimiter = new ConnectionLimiter(access.maxConnections(), access.maxConnectionsPerAddress());
        this.httpGuard = new HttpRequestGuard(gateway.counters());
        this.upgradeGuard =
            new UpgradeGuard(WEBSOCKET_PATH, gateway.counters(), tokens, access.allowedOrigins(), cluster);
        this.httpEndpoints = new HttpEndpointHandler(gateway.counters(), metrics, rooms,
            cluster == null ? null : cluster::rooms, healthProblems,
            ServerInfo.of(config.shard(), access.tokens() != null, gateway.catalog()));
        this.matchmake = cluster == null ? null : new MatchmakeHandler(gateway.counters(), cluster, gateway.catalog(),
            tokens, access.allowedOrigins(), MATCHMAKE_TIMEOUT_MS, cluster.config().matchmakesPerAddressPerSecond(),
            access.maxConnections());
        this.roomInspection = config.inspectRooms() ? new RoomInspectionHandler(gateway, rooms) : null;
        this.staticFiles = new StaticFileHandler(
            gateway.counters(), ServerInitializer.class.getClassLoader(), StaticFileHandler.WEB_ROOT);
        this.websocketConfig = websocketConfig(
            WEBSOCKET_PATH, WireFormat.SUBPROTOCOL, WireFormat.MAX_CLIENT_MESSAGE_LENGTH, access.handshakeTimeoutMs());
        this.httpTrimmer = new HttpTrimmer(config.idleTimeoutSeconds(), readPasses);
    }

    /**
     * The WebSocket settings of every endpoint: client frames masked, no extensions (so no permessage-deflate), a
     * frame payload of at most {@code maxMessageLength} bytes. Netty answers pings, but neither closes on a
     * violation nor answers or sends close frames: {@link FrameGuard} and the session write the one close frame, and
     * the connection is closed once it is written, or {@link Session#CLOSE_GRACE_MS} later if the peer does not read.
     *
     * @param subprotocol        the subprotocol the handshake answers with, or null for none.
     * @param handshakeTimeoutMs time Netty gives the WebSocket handshake once the upgrade request arrived.
     */
    static WebSocketServerProtocolConfig websocketConfig(
        final String path, final String subprotocol, final int maxMessageLength, final long handshakeTimeoutMs)
    {
        return WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(path)
            .subprotocols(subprotocol)
            .checkStartsWith(false)
            .handleCloseFrames(false)
            .sendCloseFrame(null)
            .forceCloseTimeoutMillis(Session.CLOSE_GRACE_MS)
            .dropPongFrames(true)
            .handshakeTimeoutMillis(handshakeTimeoutMs)
            .decoderConfig(WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageLength)
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(false)
                .withUTF8Validator(false)
                .build())
            .build();
    }

    /**
     * Adds the HTTP front every endpoint shares: the codec (request line {@value #MAX_REQUEST_LINE_BYTES} bytes,
     * headers {@value #MAX_HEADER_BYTES}), {@code httpGuard}, an aggregator that closes after a body over
     * {@value #MAX_HTTP_REQUEST_LENGTH} bytes, the idle timeout.
     */
    static void addHttp(
        final ChannelPipeline pipeline, final NetCounters counters, final ChannelHandler httpGuard,
        final int idleTimeoutSeconds)
    {
        pipeline
            .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES)))
            .addLast("http-guard", httpGuard)
            .addLast("http-aggregator", new ClosingHttpAggregator(MAX_HTTP_REQUEST_LENGTH, counters))
            .addLast(IDLE_TIMER, idleTimer(idleTimeoutSeconds));
    }

    /**
     * @return a timer that fires an {@code IdleStateEvent} after {@code idleTimeoutSeconds} without a read.
     */
    static IdleStateHandler idleTimer(final int idleTimeoutSeconds)
    {
        return new IdleStateHandler(idleTimeoutSeconds, 0, 0, TimeUnit.SECONDS);
    }

    /**
     * Adds the WebSocket edge every endpoint shares: the frame guard, then Netty's handshake and frame handling.
     */
    static void addWebSocket(
        final ChannelPipeline pipeline, final NetCounters counters, final int maxFramesPerSecond,
        final WebSocketServerProtocolConfig websocketConfig)
    {
        pipeline
            .addLast("frame-guard", new FrameGuard(counters, maxFramesPerSecond))
            .addLast("websocket", new WebSocketServerProtocolHandler(websocketConfig));
    }


    protected void initChannel(final SocketChannel channel)
    {
        final NetCounters counters = gateway.counters();
        counters.connectionsOpened.incrementAndGet();
        gateway.track(channel);
        channel.closeFuture().addListener(future -> counters.connectionsClosed.incrementAndGet());
        final InetAddress address = addressOf(channel);
        final Refusal refusal = connectionLimiter.tryAcquire(address);
        if (refusal != null)
        {
            refuseAtAccept(channel, refusal, counters);
            return;
        }
        channel.closeFuture().addListener(future -> connectionLimiter.release(address));
        channel.config().setOption(ChannelOption.TCP_NODELAY, true);
        if (config.tcpNotSentLowatBytes() > 0)
        {
            TransportChoice.limitUnsentBytes(channel, config.tcpNotSentLowatBytes());
        }
        channel.config().setWriteBufferWaterMark(
            new WriteBufferWaterMark(config.writeBufferLowBytes(), config.writeBufferHighBytes()));

        if (tls != null)
        {
            final SslHandler tlsHandler = tls.newHandler(channel.alloc());
            tlsHandler.setHandshakeTimeoutMillis(config.access().handshakeTimeoutMs());
            channel.pipeline().addLast("tls", tlsHandler);
        }
        addHandlers(channel.pipeline());
    }

    /**
     * Adds every handler of a game connection after TLS to {@code pipeline}; tests build it on an
     * {@code EmbeddedChannel}.
     */
    void addHandlers(final ChannelPipeline pipeline)
    {
        final NetCounters counters = gateway.counters();
        pipeline.addLast(ReadDriver.NAME, new ReadDriver());
        pipeline.addLast("handshake-deadline", new HandshakeDeadline(config.access().handshakeTimeoutMs(), counters));
        addHttp(pipeline, counters, httpGuard, config.idleTimeoutSeconds());
        pipeline.addLast("upgrade-guard", upgradeGuard);
        addWebSocket(pipeline, counters, config.maxMessagesPerSecond(), websocketConfig);
        pipeline
            .addLast("http-trimmer", httpTrimmer)
            .addLast("http-endpoints", httpEndpoints);
        if (matchmake != null)
        {
            pipeline.addLast("matchmake", matchmake);
        }
        if (roomInspection != null)
        {
            pipeline.addLast("room-inspection", roomInspection);
        }
        pipeline
            .addLast("static-files", staticFiles)
            .addLast("not-reading", new NotReadingGuard(TimeUnit.MILLISECONDS.toNanos(config.notReadingTimeoutMs())))
            .addLast(CLIENT_HANDLER, new ClientMessageHandler(gateway));
    }

    private static InetAddress addressOf(final SocketChannel channel)
    {
        final InetSocketAddress remote = channel.remoteAddress();
        return remote != null ? remote.getAddress() : InetAddress.getLoopbackAddress();
    }

    /**
     * Refuses a connection over a cap as cheaply as possible: no pipeline, a fixed response written raw (a TLS
     * client could not read it, so a TLS connection is only closed), then close.
     */
    private void refuseAtAccept(final SocketChannel channel, final Refusal refusal, final NetCounters counters)
    {
        counters.onRefused(refusal, channel.remoteAddress());
        if (tls != null)
        {
            channel.close();
            return;
        }
        final byte[] response = refusal == Refusal.TOO_MANY_CONNECTIONS ? TOO_MANY_CONNECTIONS : TOO_MANY_FROM_ADDRESS;
        channel.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
    }

    private static byte[] rawResponse(final String status, final String text)
    {
        return ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
            text.length() + "\r\nConnection: close\r\n\r\n" + text).getBytes(CharsetUtil.US_ASCII);
    }

    /**
     * Once a connection is a WebSocket, no HTTP request can arrive on it: drops the HTTP-only handlers (and itself)
     * so every game message skips them, puts the {@link BinaryFrameFastPath} in front of the frame decoder, and has
     * the loop's {@link SocketReadPass}, if it has one, read the connection from now on.
     */
    @ChannelHandler.Sharable
    private static final class HttpTrimmer extends ChannelInboundHandlerAdapter
    {
        private final int idleTimeoutSeconds;
        private final Function<EventLoop, SocketReadPass> readPasses;

        HttpTrimmer(final int idleTimeoutSeconds, final Function<EventLoop, SocketReadPass> readPasses)
        {
            this.idleTimeoutSeconds = idleTimeoutSeconds;
            this.readPasses = readPasses;
        }

        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
        {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
            {
                final ChannelPipeline pipeline = ctx.pipeline();
                pipeline.remove("handshake-deadline");
                pipeline.remove("http-guard");
                pipeline.remove("upgrade-guard");
                pipeline.remove("http-endpoints");
                if (pipeline.get("matchmake") != null)
                {
                    pipeline.remove("matchmake");
                }
                if (pipeline.get("room-inspection") != null)
                {
                    pipeline.remove("room-inspection");
                }
                pipeline.remove("static-files");
                BinaryFrameFastPath.install(pipeline, WireFormat.MAX_CLIENT_MESSAGE_LENGTH, CLIENT_HANDLER, IDLE_TIMER,
                    () -> idleTimer(idleTimeoutSeconds), readPasses.apply(ctx.channel().eventLoop()));
                pipeline.remove(this);
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
