package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundFramesTest
{
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 200_000})
    void framesDecodeAsOneBinaryMessageOfTheSameBytes(final int length)
    {
        final byte[] payload = new byte[length + 3];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(i * 31);
        }

        final ByteBuf frame = OutboundFrames.binaryFrame(
            PooledByteBufAllocator.DEFAULT, new UnsafeBuffer(payload), 3, length);

        final EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        assertTrue(client.writeInbound(frame));
        final BinaryWebSocketFrame decoded = client.readInbound();
        final byte[] expected = new byte[length];
        System.arraycopy(payload, 3, expected, 0, length);
        final byte[] actual = new byte[decoded.content().readableBytes()];
        decoded.content().readBytes(actual);
        assertArrayEquals(expected, actual);
        assertTrue(decoded.isFinalFragment());
        decoded.release();
        assertEquals(0, frame.refCnt());
        client.finishAndReleaseAll();
    }
}
