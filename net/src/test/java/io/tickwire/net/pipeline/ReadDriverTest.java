package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read driver asks for one read after each read completes, from the front of the pipeline (no handler behind it
 * sees the request), and none while a reason to pause holds; reading resumes once the last reason is cleared.
 */
class ReadDriverTest
{
    private final ReadCounter inFront = new ReadCounter();
    private final ReadCounter behind = new ReadCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(inFront, new ReadDriver(), behind);

    @AfterEach
    void tearDown()
    {
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void asksForAReadAfterEachReadFromTheFrontOfThePipeline()
    {
        assertFalse(channel.config().isAutoRead(), "the driver turns auto-read off");
        final int atStart = inFront.reads;
        assertTrue(atStart >= 1, "an active channel is asked to read when the driver is added");

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {2}));
        releaseInbound(2);

        assertEquals(atStart + 2, inFront.reads, "one read asked for after each read completed");
        assertEquals(0, behind.reads, "the request does not walk the handlers behind the driver");
    }

    @Test
    void aConnectionOverItsHighWaterMarkIsNotReadFromUntilItDrains()
    {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertFalse(channel.isWritable());
        assertFalse(ReadDriver.isReading(channel));
        final int paused = inFront.reads;

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        releaseInbound(1);
        assertEquals(paused, inFront.reads, "no read asked for while paused");

        channel.flush();
        final ByteBuf written = channel.readOutbound();
        written.release();
        assertTrue(channel.isWritable());
        assertTrue(ReadDriver.isReading(channel));
        assertEquals(paused + 1, inFront.reads, "one read asked for once drained");
    }

    @Test
    void readingResumesOnlyOnceEveryReasonIsCleared()
    {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ReadDriver.pause(channel, ReadDriver.AWAITING_ANSWER);
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        final int paused = inFront.reads;

        channel.flush();
        final ByteBuf written = channel.readOutbound();
        written.release();
        assertTrue(channel.isWritable());
        assertFalse(ReadDriver.isReading(channel), "still awaiting an answer");
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        releaseInbound(1);
        assertEquals(paused, inFront.reads);

        ReadDriver.resume(channel, ReadDriver.AWAITING_ANSWER);
        assertTrue(ReadDriver.isReading(channel));
        assertEquals(paused + 1, inFront.reads);
        ReadDriver.resume(channel, ReadDriver.AWAITING_ANSWER);
        assertEquals(paused + 1, inFront.reads, "clearing a reason that is not set asks for nothing");
    }

    private void releaseInbound(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final ByteBuf read = channel.readInbound();
            read.release();
        }
    }

    private static final class ReadCounter extends ChannelOutboundHandlerAdapter
    {
        int reads;

        public void read(final ChannelHandlerContext ctx)
        {
            reads++;
            ctx.read();
        }
    }
}
