package io.tickwire.net.pipeline;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.tickwire.codec.WireFormat;
import io.tickwire.net.NetCounters;

/**
 * Refuses a WebSocket upgrade to the game path that does not offer the protocol version this server speaks
 * ({@link WireFormat#SUBPROTOCOL}) with 400 and a reason, before the handshake. Netty's handshaker would otherwise
 * accept the connection without a subprotocol. Sharable; runs on the channel's event loop.
 */
@ChannelHandler.Sharable
public final class UpgradeGuard extends ChannelInboundHandlerAdapter
{
    private final String websocketPath;
    private final NetCounters counters;

    public UpgradeGuard(final String websocketPath, final NetCounters counters)
    {
        this.websocketPath = websocketPath;
        this.counters = counters;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof FullHttpRequest)
        {
            final FullHttpRequest request = (FullHttpRequest)msg;
            if (websocketPath.equals(HttpEndpointHandler.pathOf(request.uri())) && !offersSubprotocol(request))
            {
                counters.handshakesRefused.incrementAndGet();
                final FullHttpResponse response = HttpEndpointHandler.respond(
                    request, HttpResponseStatus.BAD_REQUEST,
                    "WebSocket subprotocol " + WireFormat.SUBPROTOCOL + " required\n");
                HttpUtil.setKeepAlive(response, false);
                request.release();
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(msg);
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
}
