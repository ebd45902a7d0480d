package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotSlotTest
{
    private final SnapshotSlot slot = new SnapshotSlot();

    @Test
    void eachFillIsTheWholeFrameItWasGivenWhateverWasFilledBefore()
    {
        // Every header form (7-bit, 16-bit and 64-bit lengths), growth past the first memory, then smaller frames in
        // memory that held larger ones: the frame is exactly the last fill, never a rest of an earlier one.
        for (final int length : new int[] {5, 125, 126, 300, 70_000, 40, 0, 65_535, 65_536, 3})
        {
            final byte[] payload = payload(length + 2, length);
            slot.fill(new UnsafeBuffer(payload), 2, length, length);
            assertTrue(slot.isFresh());
            assertArrayEquals(slice(payload, 2, length), decode(slot.frame(), null), "length " + length);
            assertArrayEquals(slice(payload, 2, length),
                decode(Unpooled.wrappedBuffer(bytesAt(slot.address(), slot.length())), null),
                "the frame at the address the loop hands the kernel, length " + length);
            assertNull(slot.take());
            assertFalse(slot.isFresh());
            slot.frame().skipBytes(Math.min(1, slot.frame().readableBytes()));  // a partial write's progress
        }
    }

    @Test
    void aFrameWithASharedBodyIsItsHeaderThenTheBody()
    {
        final byte[] header = payload(9, 1);
        final byte[] body = payload(200, 2);
        slot.fill(new UnsafeBuffer(header), 0, header.length, header.length + body.length);
        final ByteBuf bodyBuffer = Unpooled.wrappedBuffer(body);
        slot.attachBody(bodyBuffer);

        final ByteBuf taken = slot.take();
        assertSame(bodyBuffer, taken, "the holder takes over the body reference");
        final byte[] whole = new byte[header.length + body.length];
        System.arraycopy(header, 0, whole, 0, header.length);
        System.arraycopy(body, 0, whole, header.length, body.length);
        assertArrayEquals(whole, decode(slot.frame(), taken));
    }

    @Test
    void droppingReleasesTheBodyReference()
    {
        final byte[] header = payload(4, 3);
        slot.fill(new UnsafeBuffer(header), 0, header.length, header.length + 10);
        final ByteBuf body = Unpooled.directBuffer(10).writeZero(10);
        slot.attachBody(body);
        slot.drop();
        assertEquals(0, body.refCnt());
        assertFalse(slot.isFresh());
    }

    private static byte[] payload(final int length, final int seed)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(i * 31 + seed);
        }
        return payload;
    }

    private static byte[] bytesAt(final long address, final int length)
    {
        final byte[] bytes = new byte[length];
        new UnsafeBuffer(address, length).getBytes(0, bytes);
        return bytes;
    }

    private static byte[] slice(final byte[] bytes, final int offset, final int length)
    {
        final byte[] slice = new byte[length];
        System.arraycopy(bytes, offset, slice, 0, length);
        return slice;
    }

    /**
     * Decodes the slot's frame, followed by {@code body} when there is one, as a client's WebSocket decoder does; the
     * slot keeps its memory, so the frame is read from a copy.
     */
    private static byte[] decode(final ByteBuf frameStart, final ByteBuf body)
    {
        final ByteBuf wire = Unpooled.buffer();
        wire.writeBytes(frameStart, frameStart.readerIndex(), frameStart.readableBytes());
        if (body != null)
        {
            wire.writeBytes(body);
            body.release();
        }
        final EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        assertTrue(client.writeInbound(wire));
        final BinaryWebSocketFrame decoded = client.readInbound();
        assertTrue(decoded.isFinalFragment());
        final byte[] bytes = new byte[decoded.content().readableBytes()];
        decoded.content().readBytes(bytes);
        decoded.release();
        assertFalse(client.finishAndReleaseAll(), "one frame, nothing more");
        return bytes;
    }
}
