package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A bot's own framing of its binary messages reads back, through Netty's server-side decoder (which requires masked
 * frames and rejects anything else), as exactly the message, at every length class of RFC 6455; and each frame has a
 * fresh mask.
 */
class ClientFramesTest
{
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 3, 4, 5, 18, 125, 126, 127, 1000, 65535, 65536, 100_000 })
    void aFramedMessageDecodesOnTheServerSideToTheSameBytes(final int length)
    {
        final byte[] message = new byte[length];
        new Random(length).nextBytes(message);
        final UnsafeBuffer payload = new UnsafeBuffer(Arrays.copyOf(message, Math.max(length, 1)));
        final EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(
            WebSocketDecoderConfig.newBuilder().expectMaskedFrames(true).allowMaskMismatch(false)
                .maxFramePayloadLength(BotGroup.MAX_PAYLOAD_LENGTH).build()));

        final ByteBuf frame = masked(payload, length);
        assertEquals(2 + (length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8) + 4 + length, frame.readableBytes());
        server.writeInbound(frame);

        final BinaryWebSocketFrame decoded = assertInstanceOf(BinaryWebSocketFrame.class, server.readInbound());
        assertArrayEquals(message, ByteBufUtil.getBytes(decoded.content()));
        assertEquals(true, decoded.isFinalFragment());
        decoded.release();
        assertNull(server.readInbound());
        assertEquals(0, frame.refCnt(), "the decoder consumed and released the frame");
        server.finishAndReleaseAll();
    }

    @Test
    void everyFrameHasAFreshMask()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final ByteBuf first = masked(payload, 8);
        final ByteBuf second = masked(payload, 8);
        try
        {
            assertNotEquals(first.getInt(2), second.getInt(2), "two masks in a row (1 in 2^32 to be equal)");
            assertEquals(first.getInt(2), first.getInt(6), "the zero payload shows the mask itself");
        }
        finally
        {
            first.release();
            second.release();
        }
    }

    private static ByteBuf masked(final UnsafeBuffer payload, final int length)
    {
        return ClientFrames.masked(PooledByteBufAllocator.DEFAULT, ServerFrameReader.OPCODE_BINARY, payload, length);
    }
}
