package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * Reads what a bot writes as a server would: an outbound handler at the head of an {@link EmbeddedChannel} that
 * passes each framed buffer the bot writes ({@link ClientFrames}) through Netty's server-side frame decoder, which
 * requires masked frames and checks them, so the test reads {@code WebSocketFrame}s. Frames written as objects (close
 * frames) pass as they are; counts the bot's flushes. One per channel; runs on the test's thread.
 */
final class ServerSideFrames extends ChannelOutboundHandlerAdapter
{
    private final EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(
        WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).allowMaskMismatch(false)
            .maxFramePayloadLength(BotGroup.MAX_PAYLOAD_LENGTH).build()));

    private int flushes;

    /**
     * @return how many times the bot flushed its channel: one write to the socket each.
     */
    int flushes()
    {
        return flushes;
    }

    public void flush(final ChannelHandlerContext ctx)
    {
        flushes++;
        ctx.flush();
    }

    public void write(final ChannelHandlerContext ctx, final Object message, final ChannelPromise promise)
    {
        if (!(message instanceof ByteBuf))
        {
            ctx.write(message, promise);
            return;
        }
        server.writeInbound(message);
        final Object frame = server.readInbound();
        if (frame == null || server.inboundMessages().size() > 0)
        {
            throw new AssertionError("a bot's write is not exactly one whole frame");
        }
        ctx.write(frame, promise);
    }
}
