package io.tickwire.net.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The not-reading deadline counts continuous time not writable: it fires once the channel has stayed not writable
 * for the whole timeout, and a channel that becomes writable, even briefly, starts over.
 */
class NotReadingGuardTest
{
    private static final long TIMEOUT_MS = 1_000;

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
        new NotReadingGuard(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)),
        new ChannelInboundHandlerAdapter()
        {
            public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
            {
                events.add(event);
            }
        });

    @Test
    void firesAfterTheWholeTimeoutNotWritableAndStartsOverWhenWritableInBetween()
    {
        channel.freezeTime();
        writable(false);
        elapse(TIMEOUT_MS - 1);
        writable(true);
        writable(false);
        elapse(TIMEOUT_MS - 1);
        assertEquals(List.of(), events, "never the whole timeout in one stretch");

        elapse(1);
        assertEquals(List.of(NotReadingGuard.NOT_READING), events);
        elapse(10 * TIMEOUT_MS);
        assertEquals(1, events.size(), "once");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aWritableChannelNeverFires()
    {
        channel.freezeTime();
        elapse(10 * TIMEOUT_MS);
        writable(false);
        writable(true);
        elapse(10 * TIMEOUT_MS);
        assertEquals(List.of(), events);
        assertFalse(channel.finishAndReleaseAll());
    }

    private void writable(final boolean writable)
    {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        channel.runPendingTasks();
    }

    private void elapse(final long millis)
    {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }
}
