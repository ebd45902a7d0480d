package io.tickwire.sim;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.EventTranslatorThreeArg;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.WireFormat;

import io.tickwire.sim.checkpoint.RoomSnapshot;

import java.util.concurrent.CompletableFuture;
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
    private static final EventTranslatorThreeArg<InputEvent, ClientLink, ClientMessageFlyweight, InputValues>
        INPUT_TRANSLATOR = (event, sequence, link, message, input) ->
        {
            event.type = InputEvent.INPUT;
            event.link = link;
            event.ack = message.ack();
            event.inputSeq = message.inputSeq();
            event.viewTick = message.viewTick();
            System.arraycopy(input.values, 0, event.values, 0, input.count);
        };

    private static final EventTranslatorThreeArg<InputEvent, ClientLink, ClientMessageFlyweight, MessageCodec>
        MESSAGE_TRANSLATOR = (event, sequence, link, message, codec) ->
        {
            event.type = InputEvent.MESSAGE;
            event.link = link;
            event.ack = message.ack();
            event.messageSeq = message.messageSeq();
            event.messageTypeId = codec.type().id();
            event.fieldsOffset = codec.fieldsOffset() - message.offset();
            event.payloadLength = message.length();
            message.buffer().getBytes(message.offset(), event.payload(), 0, message.length());
        };

    private static final EventTranslatorTwoArg<InputEvent, ClientLink, ClientMessageFlyweight> CONTROL_TRANSLATOR =
        (event, sequence, link, message) ->
        {
            event.link = link;
            event.ack = message.ack();
            switch (message.type())
            {
                case WireFormat.TYPE_ACK:
                    event.type = InputEvent.ACK;
                    event.messageAck = message.messageAck();
                    break;
                case WireFormat.TYPE_LEAVE:
                    event.type = InputEvent.LEAVE;
                    break;
                default:
                    event.type = InputEvent.SNAPSHOT_ACK;
                    break;
            }
        };

    private static final EventTranslatorTwoArg<InputEvent, ClientLink, JoinTicket> JOIN_TRANSLATOR =
        (event, sequence, link, join) ->
        {
            event.type = InputEvent.JOIN;
            event.link = link;
            event.join = join;
        };

    private static final EventTranslatorTwoArg<InputEvent, ClientLink, LeaveReason> CLOSED_TRANSLATOR =
        (event, sequence, link, reason) ->
        {
            event.type = InputEvent.CLOSED;
            event.link = link;
            event.closeReason = reason;
        };

    private static final EventTranslatorOneArg<InputEvent, RoomInspection> INSPECT_TRANSLATOR =
        (event, sequence, inspection) ->
        {
            event.type = InputEvent.INSPECT;
            event.inspection = inspection;
        };

    private static final EventTranslatorThreeArg<InputEvent, RoomSnapshot, Long, CompletableFuture<Boolean>>
        RESTORE_TRANSLATOR = (event, sequence, snapshot, epoch, done) ->
        {
            event.type = InputEvent.RESTORE;
            event.restoreSnapshot = snapshot;
            event.restoreEpoch = epoch;
            event.restoreDone = done;
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
     * Publishes a validated input with its decoded values. Any thread.
     *
     * @return false when the ring is full; the input was not published.
     */
    public boolean tryPublishInput(
        final ClientLink link, final ClientMessageFlyweight message, final InputValues values)
    {
        return counted(ringBuffer.tryPublishEvent(INPUT_TRANSLATOR, link, message, values));
    }

    /**
     * Publishes a validated client message; {@code codec} has just validated it and names its type. The message's
     * bytes are copied into the event. Any thread.
     *
     * @return false when the ring is full; the message was not published.
     */
    public boolean tryPublishMessage(
        final ClientLink link, final ClientMessageFlyweight message, final MessageCodec codec)
    {
        return counted(ringBuffer.tryPublishEvent(MESSAGE_TRANSLATOR, link, message, codec));
    }

    /**
     * Publishes a validated ACK, PING (its snapshot ack) or LEAVE. Any thread.
     *
     * @return false when the ring is full; the message was not published.
     */
    public boolean tryPublishControl(final ClientLink link, final ClientMessageFlyweight message)
    {
        return counted(ringBuffer.tryPublishEvent(CONTROL_TRANSLATOR, link, message));
    }

    /**
     * Publishes a decoded and validated join. Any thread.
     *
     * @return false when the ring is full; the join was not published.
     */
    public boolean tryPublishJoin(final ClientLink link, final JoinTicket join)
    {
        return counted(ringBuffer.tryPublishEvent(JOIN_TRANSLATOR, link, join));
    }

    /**
     * Publishes that the connection closed, and why the player leaves. Any thread. A refused close is not lost: the
     * shard also drops links that report {@link ClientLink#isOpen()} false (as disconnected).
     *
     * @return false when the ring is full.
     */
    public boolean tryPublishClosed(final ClientLink link, final LeaveReason reason)
    {
        return counted(ringBuffer.tryPublishEvent(CLOSED_TRANSLATOR, link, reason));
    }

    /**
     * Publishes a request to look inside a room; the shard completes its answer. Any thread.
     *
     * @return false when the ring is full; the request was not published and will not be answered.
     */
    public boolean tryPublishInspection(final RoomInspection inspection)
    {
        return counted(ringBuffer.tryPublishEvent(INSPECT_TRANSLATOR, inspection));
    }

    /**
     * Publishes a restore of a room from a checkpoint; the shard completes {@code done}. Any thread; a cold path (the
     * epoch is boxed).
     *
     * @return false when the ring is full; the restore was not published and {@code done} is left as it is.
     */
    public boolean tryPublishRestore(
        final RoomSnapshot snapshot, final long epoch, final CompletableFuture<Boolean> done)
    {
        return counted(ringBuffer.tryPublishEvent(RESTORE_TRANSLATOR, snapshot, epoch, done));
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
