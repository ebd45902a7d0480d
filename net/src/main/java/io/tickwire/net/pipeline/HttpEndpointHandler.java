package io.tickwire.net.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import io.tickwire.cluster.ClusterRoom;
import io.tickwire.net.NetCounters;
import io.tickwire.net.ServerMetrics;
import io.tickwire.sim.RoomInfo;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Plain HTTP requests that are not a WebSocket upgrade. Sharable; runs on the channel's event loop.
 * <pre>
 *   GET /health    200 text/plain "ok" while every shard ticks; 503 with one line per failed or stalled shard
 *                  otherwise (see {@link io.tickwire.net.ShardSupervisor}), or "draining" once the server drains
 *   GET /metrics   200 Prometheus text format: the registry scraped here, which reads counters and takes one
 *                  interval sample of each shard's tick timings (see {@link ServerMetrics})
 *   GET /rooms     200 application/json: [{name, type, clients, maxClients, open, locked, shard, tick, entities,
 *                  metadata}, ...] of the public rooms, from the lists the shards last published (at most about a
 *                  second old; rooms themselves are shard-owned); ?type=NAME keeps one game's rooms, ?open=true
 *                  those a join may enter now (unlocked, not full). Clustered: the rooms of every node, from the
 *                  directory's listing (refreshed once a second), each with its node's id ({@code node}), the shard
 *                  and entities of this node's own rooms, and {@code restoredFromTick} for a restored room
 *   GET /server    200 application/json: {@link ServerInfo} (tick rate, view radius, resume grace, room types, ...),
 *                  written once at start
 *   other method   405 with Allow: GET, connection closed
 * </pre>
 * Requests to other paths pass on to the next handler (room inspection, then the static files, which answer 404).
 * A 200 keeps the connection when the request asks to. Response sizes are bounded by the configuration: metrics by
 * the number of shards, rooms by shards times rooms per shard.
 */
@ChannelHandler.Sharable
public final class HttpEndpointHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    public static final String HEALTH_PATH = "/health";
    public static final String METRICS_PATH = "/metrics";
    public static final String ROOMS_PATH = "/rooms";
    public static final String SERVER_PATH = "/server";
    private static final Set<String> PATHS = Set.of(HEALTH_PATH, METRICS_PATH, ROOMS_PATH, SERVER_PATH);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ObjectWriter ROOMS_WRITER =
        JSON.writerFor(new TypeReference<List<RoomListing>>()
        {
        });

    private final NetCounters counters;
    private final ServerMetrics metrics;
    private final Supplier<List<RoomInfo>> rooms;
    private final Supplier<List<ClusterRoom>> clusterRooms;
    private final Supplier<String> healthProblems;
    private final byte[] serverInfo;

    /**
     * @param rooms          the rooms as the shards last published them; called on event loops.
     * @param healthProblems what is wrong with the server, one line each, empty when it is healthy; called on event
     *                       loops.
     * @param serverInfo     what {@code GET /server} answers.
     */
    public HttpEndpointHandler(
        final NetCounters counters, final ServerMetrics metrics, final Supplier<List<RoomInfo>> rooms,
        final Supplier<String> healthProblems, final ServerInfo serverInfo)
    {
        this(counters, metrics, rooms, null, healthProblems, serverInfo);
    }

    /**
     * @param rooms          the rooms as this node's shards last published them; called on event loops.
     * @param clusterRooms   clustered: the rooms of the whole cluster as last listed; null on a single node.
     * @param healthProblems what is wrong with the server, one line each, empty when it is healthy; called on event
     *                       loops.
     * @param serverInfo     what {@code GET /server} answers.
     */
    public HttpEndpointHandler(
        final NetCounters counters, final ServerMetrics metrics, final Supplier<List<RoomInfo>> rooms,
        final Supplier<List<ClusterRoom>> clusterRooms, final Supplier<String> healthProblems,
        final ServerInfo serverInfo)
    {
        this.counters = counters;
        this.metrics = metrics;
        this.rooms = rooms;
        this.clusterRooms = clusterRooms;
        this.healthProblems = healthProblems;
        try
        {
            this.serverInfo = JSON.writeValueAsBytes(serverInfo);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot write the server info as JSON", ex);
        }
    }

    /**
     * @return true for a request to one of this handler's paths; anything else passes on untouched.
     */
    public boolean acceptInboundMessage(final Object msg)
    {
        return msg instanceof FullHttpRequest && PATHS.contains(pathOf(((FullHttpRequest)msg).uri()));
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request) throws IOException
    {
        final String path = pathOf(request.uri());
        if (!request.method().equals(HttpMethod.GET))
        {
            counters.httpMethodNotAllowed.incrementAndGet();
            final FullHttpResponse response = respond(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            refuse(ctx, response);
            return;
        }

        switch (path)
        {
            case HEALTH_PATH:
                counters.healthRequests.incrementAndGet();
                final String problems = healthProblems.get();
                reply(ctx, request, problems.isEmpty() ? respond(request, HttpResponseStatus.OK, "ok\n") :
                    respond(request, HttpResponseStatus.SERVICE_UNAVAILABLE, problems));
                break;
            case METRICS_PATH:
                counters.metricsRequests.incrementAndGet();
                reply(ctx, request, ok(ctx, ServerMetrics.CONTENT_TYPE, metrics::scrape));
                break;
            case SERVER_PATH:
                counters.serverInfoRequests.incrementAndGet();
                reply(ctx, request, response(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON.toString(),
                    Unpooled.wrappedBuffer(serverInfo)));
                break;
            default: // ROOMS_PATH, the last known path
                counters.roomsRequests.incrementAndGet();
                final List<RoomListing> listed = clusterRooms == null ? RoomListing.select(rooms.get(), request.uri()) :
                    RoomListing.select(clusterRooms.get(), rooms.get(), request.uri());
                reply(ctx, request, ok(ctx, HttpHeaderValues.APPLICATION_JSON.toString(),
                    out -> ROOMS_WRITER.writeValue(out, listed)));
                break;
        }
    }

    /**
     * Builds a small plain-text response; shared with the upgrade guard.
     */
    static FullHttpResponse respond(final FullHttpRequest request, final HttpResponseStatus status, final String text)
    {
        return response(
            status, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8", Unpooled.copiedBuffer(text, CharsetUtil.UTF_8));
    }

    static String pathOf(final String uri)
    {
        final int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /**
     * A 200 whose body {@code writer} writes into a pooled buffer, released if the writer fails.
     */
    static FullHttpResponse ok(final ChannelHandlerContext ctx, final String contentType, final Body writer)
        throws IOException
    {
        final ByteBuf body = ctx.alloc().buffer();
        try
        {
            writer.writeTo(new ByteBufOutputStream(body));
        }
        catch (final IOException | RuntimeException ex)
        {
            body.release();
            throw ex;
        }
        return response(HttpResponseStatus.OK, contentType, body);
    }

    static FullHttpResponse response(
        final HttpResponseStatus status, final String contentType, final ByteBuf body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, contentType)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    static void reply(
        final ChannelHandlerContext ctx, final FullHttpRequest request, final FullHttpResponse response)
    {
        reply(ctx, HttpUtil.isKeepAlive(request), response);
    }

    /**
     * Writes a response and keeps the connection when {@code keepAlive}, else closes it once written.
     */
    static void reply(final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpResponse response)
    {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive)
        {
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    static void refuse(final ChannelHandlerContext ctx, final FullHttpResponse response)
    {
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Writes a response body.
     */
    @FunctionalInterface
    interface Body
    {
        void writeTo(OutputStream out) throws IOException;
    }
}
