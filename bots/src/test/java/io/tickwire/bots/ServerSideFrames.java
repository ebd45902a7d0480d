package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Speaks to a bot as a server would, at the head of an {@link EmbeddedChannel}: passes each buffer of frames the
 * bot writes ({@link ClientFrames}, {@link SendBatch}) through Netty's server-side frame decoder, which requires
 * masked frames and checks them, so the test reads {@code WebSocketFrame}s; frames written as objects (close frames)
 * pass as they are; counts the bot's flushes. Inbound, it frames each {@code WebSocketFrame} the test writes as a server does (unmasked) into
 * the bytes the bot's {@link ServerFrameReader} reads: in a heap, direct or composite buffer as the frame's content
 * is, and releases the frame. One per channel; runs on the test's thread.
 */
final class ServerSideFrames extends ChannelDuplexHandler
{
    private final EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(
        WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).allowMaskMismatch(false)
            .maxFramePayloadLength(BotGroup.MAX_PAYLOAD_LENGTH).build()));

    private int flushes;

    /**
     * @return a channel as a bot's pipeline is after the handshake: this, a stand-in for Netty's frame decoder (which
     * the bot replaces with its reader when the handshake completes), then the bot's handler.
     */
    static EmbeddedChannel botChannel(final ServerSideFrames frames, final BotHandler handler)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(frames);
        channel.pipeline().addLast(ServerFrameReader.NETTY_DECODER_NAME, new ChannelInboundHandlerAdapter());
        channel.pipeline().addLast(handler);
        return channel;
    }

    /**
     * @return the bytes of {@code frame} as a server sends it (unmasked), its content included; does not release it.
     */
    static ByteBuf serverBytes(final WebSocketFrame frame)
    {
        final ByteBuf content = frame.content();
        final int length = content.readableBytes();
        final ByteBuf header = Unpooled.buffer(10)
            .writeByte((frame.isFinalFragment() ? ClientFrames.FIN : 0) | frame.rsv() << 4 | opcode(frame));
        if (length <= ClientFrames.MAX_SHORT_LENGTH)
        {
            header.writeByte(length);
        }
        else if (length <= 0xFFFF)
        {
            header.writeByte(ClientFrames.LENGTH_16).writeShort(length);
        }
        else
        {
            header.writeByte(ClientFrames.LENGTH_64).writeLong(length);
        }
        if (content instanceof CompositeByteBuf)
        {
            return Unpooled.wrappedBuffer(header, content.retainedSlice());
        }
        final ByteBuf bytes = content.hasArray() ?
            Unpooled.buffer(header.readableBytes() + length) : Unpooled.directBuffer(header.readableBytes() + length);
        bytes.writeBytes(header).writeBytes(content, content.readerIndex(), length);
        header.release();
        return bytes;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        if (!(message instanceof WebSocketFrame))
        {
            ctx.fireChannelRead(message);
            return;
        }
        final WebSocketFrame frame = (WebSocketFrame)message;
        try
        {
            ctx.fireChannelRead(serverBytes(frame));
        }
        finally
        {
            frame.release();
        }
    }

    private static int opcode(final WebSocketFrame frame)
    {
        if (frame instanceof BinaryWebSocketFrame)
        {
            return ServerFrameReader.OPCODE_BINARY;
        }
        if (frame instanceof TextWebSocketFrame)
        {
            return ServerFrameReader.OPCODE_TEXT;
        }
        if (frame instanceof ContinuationWebSocketFrame)
        {
            return ServerFrameReader.OPCODE_CONTINUATION;
        }
        if (frame instanceof CloseWebSocketFrame)
        {
            return ServerFrameReader.OPCODE_CLOSE;
        }
        return frame instanceof PingWebSocketFrame ? ServerFrameReader.OPCODE_PING : ServerFrameReader.OPCODE_PONG;
    }

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
        final Object first = server.readInbound();
        if (first == null)
        {
            throw new AssertionError("a bot's write is not whole frames");
        }
        Object next = server.readInbound();
        for (Object frame = first; frame != null; frame = next, next = server.readInbound())
        {
            ctx.write(frame, next == null ? promise : ctx.voidPromise());
        }
    }
}
