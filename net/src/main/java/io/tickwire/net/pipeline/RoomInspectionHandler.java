package io.tickwire.net.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.Gateway;
import io.tickwire.net.NetCounters;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.RoomInspection;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /rooms/<name>}: what is inside one room, for operators and tests (only with {@code --inspect-rooms}:
 * it shows every player's position). Sharable; on the channel's event loop.
 * <pre>
 *   event loop: parse the name -> the owning shard (the published rooms, else the router) -> publish a
 *               RoomInspection into its ring (full: 503); stop reading the connection meanwhile
 *   shard:      at its next ring drain, answers from its last tick's state (RoomInspection#answerFrom)
 *   event loop: 200 application/json {name, type, tick, players: [{playerId, name, entityId, fields: {..}}]},
 *               404 when the shard has no such room, 503 after {@value #ANSWER_TIMEOUT_MS} ms without answer;
 *               reading resumes
 * </pre>
 * At most {@value #MAX_IN_FLIGHT} inspections wait for a shard at once, server-wide; more are answered 503. A
 * connection reads nothing while its inspection is pending, so its responses keep the order of its requests.
 */
@ChannelHandler.Sharable
public final class RoomInspectionHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    public static final String PATH_PREFIX = HttpEndpointHandler.ROOMS_PATH + "/";
    /** Inspections waiting for a shard at once, server-wide. */
    public static final int MAX_IN_FLIGHT = 8;
    /** How long an inspection waits for its shard: a shard that ticks answers within a tick. */
    public static final long ANSWER_TIMEOUT_MS = 1_000;

    private static final ObjectWriter VIEW_WRITER = new ObjectMapper().writerFor(RoomInspection.View.class);

    private final Gateway gateway;
    private final NetCounters counters;
    private final Supplier<List<RoomInfo>> rooms;
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param rooms the rooms as the shards last published them, to find a room's shard; called on event loops.
     */
    public RoomInspectionHandler(final Gateway gateway, final Supplier<List<RoomInfo>> rooms)
    {
        this.gateway = gateway;
        this.counters = gateway.counters();
        this.rooms = rooms;
    }

    public boolean acceptInboundMessage(final Object msg)
    {
        return msg instanceof FullHttpRequest &&
            HttpEndpointHandler.pathOf(((FullHttpRequest)msg).uri()).startsWith(PATH_PREFIX);
    }

    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final String name = roomNameOf(HttpEndpointHandler.pathOf(request.uri()));
        if (name == null)
        {
            counters.httpNotFound.incrementAndGet();
            HttpEndpointHandler.refuse(ctx, HttpEndpointHandler.respond(request, HttpResponseStatus.NOT_FOUND,
                "not found\n"));
            return;
        }
        if (!request.method().equals(HttpMethod.GET))
        {
            counters.httpMethodNotAllowed.incrementAndGet();
            final FullHttpResponse response =
                HttpEndpointHandler.respond(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            HttpEndpointHandler.refuse(ctx, response);
            return;
        }
        final int shard = shardOf(name);
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT || gateway.isShardFailed(shard))
        {
            inFlight.decrementAndGet();
            busy(ctx, request);
            return;
        }
        final RoomInspection inspection = new RoomInspection(name);
        if (!gateway.ring(shard).tryPublishInspection(inspection))
        {
            inFlight.decrementAndGet();
            busy(ctx, request);
            return;
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        ReadDriver.pause(ctx.channel(), ReadDriver.AWAITING_ANSWER);
        inspection.answer()
            .orTimeout(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .whenCompleteAsync((view, error) -> onAnswer(ctx, keepAlive, view, error), ctx.executor());
    }

    /**
     * On the channel's event loop, once the shard answered or the wait timed out.
     */
    private void onAnswer(
        final ChannelHandlerContext ctx, final boolean keepAlive, final RoomInspection.View view,
        final Throwable error)
    {
        inFlight.decrementAndGet();
        if (!ctx.channel().isActive())
        {
            return;
        }
        ReadDriver.resume(ctx.channel(), ReadDriver.AWAITING_ANSWER);
        if (error != null)
        {
            counters.roomInspectionsRefused.incrementAndGet();
            HttpEndpointHandler.refuse(ctx, HttpEndpointHandler.response(HttpResponseStatus.SERVICE_UNAVAILABLE,
                HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8", textBuffer(ctx, "no answer from the shard\n")));
            return;
        }
        if (view == null)
        {
            counters.httpNotFound.incrementAndGet();
            HttpEndpointHandler.refuse(ctx, HttpEndpointHandler.response(HttpResponseStatus.NOT_FOUND,
                HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8", textBuffer(ctx, "no such room\n")));
            return;
        }
        try
        {
            final FullHttpResponse response = HttpEndpointHandler.ok(
                ctx, HttpHeaderValues.APPLICATION_JSON.toString(), out -> VIEW_WRITER.writeValue(out, view));
            counters.roomInspections.incrementAndGet();
            HttpEndpointHandler.reply(ctx, keepAlive, response);
        }
        catch (final IOException ex)
        {
            ctx.fireExceptionCaught(ex);
        }
    }

    private void busy(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        counters.roomInspectionsRefused.incrementAndGet();
        final FullHttpResponse response = HttpEndpointHandler.respond(
            request, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many room inspections\n");
        HttpEndpointHandler.refuse(ctx, response);
    }

    /**
     * @return the shard that owns the room: the one that last published it, else the one a named join goes to.
     */
    private int shardOf(final String name)
    {
        for (final RoomInfo room : rooms.get())
        {
            if (room.name().equals(name))
            {
                return room.shard();
            }
        }
        return gateway.router().shardOf(name);
    }

    /**
     * @return the percent-decoded room name after the prefix, or null when it is not 1..32 bytes of UTF-8.
     */
    static String roomNameOf(final String path)
    {
        final String encoded = path.substring(PATH_PREFIX.length());
        if (encoded.isEmpty() || encoded.length() > 3 * WireFormat.MAX_NAME_LENGTH)
        {
            return null;
        }
        try
        {
            final String name = QueryStringDecoder.decodeComponent(encoded);
            final int length = Utf8.encodedLength(name);
            return length < 1 || length > WireFormat.MAX_NAME_LENGTH ? null : name;
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    private static ByteBuf textBuffer(final ChannelHandlerContext ctx, final String text)
    {
        return ByteBufUtil.writeUtf8(ctx.alloc(), text);
    }
}
