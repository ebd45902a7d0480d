package io.tickwire.sim;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A shard's inbound ring: many event loops publish, the shard thread polls. Backed by an LMAX Disruptor
 * multi-producer {@link RingBuffer} of pre-allocated {@link InputEvent}s and an {@link EventPoller}, so the shard
 * drains it inside its own duty cycle instead of from a dedicated consumer thread.
 * <p>
 * Publishing never blocks: a full ring refuses the event, counts it and returns false, and the caller decides what
 * to tell the client. Translators are static and take explicit arguments, so a publish allocates nothing.
 */
public final class InputRing
{
    private static final EventTranslatorTwoArg<InputEvent, ClientLink, ClientMessageFlyweight> MESSAGE_TRANSLATOR =
        (event, sequence, link, message) ->
        {
            event.link = link;
            event.ack = message.ack();
            if (message.type() == WireFormat.TYPE_INPUT)
            {
                event.type = InputEvent.INPUT;
                event.inputSeq = message.inputSeq();
                event.moveX = message.moveX();
                event.moveY = message.moveY();
                event.buttons = message.buttons();
            }
            else
            {
                event.type = InputEvent.LEAVE;
            }
        };

    private static final EventTranslatorTwoArg<InputEvent, ClientLink, JoinRequest> JOIN_TRANSLATOR =
        (event, sequence, link, join) ->
        {
            event.type = InputEvent.JOIN;
            event.link = link;
            event.join = join;
        };

    private static final EventTranslatorOneArg<InputEvent, ClientLink> CLOSED_TRANSLATOR =
        (event, sequence, link) ->
        {
            event.type = InputEvent.CLOSED;
            event.link = link;
        };

    private final RingBuffer<InputEvent> ringBuffer;
    private final EventPoller<InputEvent> poller;
    private final AtomicLong refusedCount = new AtomicLong();

    /**
     * @param capacity number of events, a power of two.
     */
    public InputRing(final int capacity)
    {
        ringBuffer = RingBuffer.createMultiProducer(InputEvent::new, capacity, new YieldingWaitStrategy());
        poller = ringBuffer.newPoller();
        ringBuffer.addGatingSequences(poller.getSequence());
    }

    /**
     * Publishes a validated input or leave message. Any thread.
     *
     * @return false when the ring is full; the message was not published.
     */
    public boolean tryPublishMessage(final ClientLink link, final ClientMessageFlyweight message)
    {
        return counted(ringBuffer.tryPublishEvent(MESSAGE_TRANSLATOR, link, message));
    }

    /**
     * Publishes a decoded join request. Any thread.
     *
     * @return false when the ring is full; the join was not published.
     */
    public boolean tryPublishJoin(final ClientLink link, final JoinRequest join)
    {
        return counted(ringBuffer.tryPublishEvent(JOIN_TRANSLATOR, link, join));
    }

    /**
     * Publishes that the connection closed. Any thread. A refused close is not lost: the shard also drops links
     * that report {@link ClientLink#isOpen()} false.
     *
     * @return false when the ring is full.
     */
    public boolean tryPublishClosed(final ClientLink link)
    {
        return counted(ringBuffer.tryPublishEvent(CLOSED_TRANSLATOR, link));
    }

    /**
     * Drains every event published so far, in publication order. Shard thread only.
     *
     * @return the number of events handled.
     */
    public int drain(final InputHandler handler)
    {
        final long before = poller.getSequence().get();
        try
        {
            poller.poll(handler);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("input handler must not throw", ex);
        }
        return (int)(poller.getSequence().get() - before);
    }

    /**
     * @return events refused because the ring was full, since start. Any thread.
     */
    public long refusedCount()
    {
        return refusedCount.get();
    }

    /**
     * @return events published but not yet drained. Any thread; a snapshot that may be stale at once.
     */
    public long occupancy()
    {
        return ringBuffer.getCursor() - poller.getSequence().get();
    }

    public int capacity()
    {
        return ringBuffer.getBufferSize();
    }

    private boolean counted(final boolean published)
    {
        if (!published)
        {
            refusedCount.incrementAndGet();
        }
        return published;
    }

    /**
     * Handles drained events on the shard thread. The event is cleared after the handler returns.
     */
    public abstract static class InputHandler implements EventPoller.Handler<InputEvent>
    {
        public final boolean onEvent(final InputEvent event, final long sequence, final boolean endOfBatch)
        {
            try
            {
                onInputEvent(event);
            }
            finally
            {
                event.clear();
            }
            return true;
        }

        /**
         * Must not throw; an implementation catches what it calls.
         */
        protected abstract void onInputEvent(InputEvent event);
    }
}
