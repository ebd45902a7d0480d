package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.control.ControlCodec;
import org.HdrHistogram.Histogram;
import org.agrona.BitUtil;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bots of one event loop and the scratch state they share: the control codec, the flyweights, the buffers
 * messages are built in and read through, and the input latency histogram. Each bot keeps its own snapshot decoder,
 * since its view and baselines are its own.
 * <p>
 * Owned by its event loop: every method except {@link #add(Bot)} runs on that loop. {@link #add(Bot)} runs on the
 * thread that builds the swarm, before any task of this group is scheduled. {@link #inputLatencyUs()} is read by
 * that thread after the event loop has terminated.
 */
final class BotGroup
{
    /**
     * Largest message payload a bot accepts, in bytes: 2 MiB, room for a full snapshot of 65535 entities at 32 bytes
     * each. A longer frame fails the connection.
     */
    static final int MAX_PAYLOAD_LENGTH = 1 << 21;

    /** Largest input-to-snapshot latency recorded; longer ones are recorded as this. */
    static final long MAX_LATENCY_US = TimeUnit.SECONDS.toMicros(60);

    private static final Logger LOGGER = LoggerFactory.getLogger(BotGroup.class);
    private static final int CONTROL_BUFFER_LENGTH = 1024;
    private static final int LATENCY_SIGNIFICANT_DIGITS = 3;

    private final NanoClock clock;
    private final CountDownLatch finishedBots;
    private final Bot[] bots;
    private final ControlCodec controlCodec = new ControlCodec();
    private final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[CONTROL_BUFFER_LENGTH]);
    private final UnsafeBuffer inputBuffer = new UnsafeBuffer(new byte[ClientMessageFlyweight.INPUT_LENGTH]);
    private final ClientMessageFlyweight inputMessage = new ClientMessageFlyweight();
    private final SnapshotHeaderFlyweight snapshotHeader = new SnapshotHeaderFlyweight();
    private final UnsafeBuffer payloadBuffer = new UnsafeBuffer(new byte[0]);
    private final Histogram inputLatencyUs = new Histogram(MAX_LATENCY_US, LATENCY_SIGNIFICANT_DIGITS);
    private final boolean[] loggedErrors = new boolean[BotError.VALUES.length];
    private byte[] payloadCopy = new byte[0];
    private int botCount;

    /**
     * @param clock        clock bots time joins, inputs and snapshots with.
     * @param finishedBots counted down once by every bot of this group when it is done for good.
     * @param capacity     most bots this group holds.
     */
    BotGroup(final NanoClock clock, final CountDownLatch finishedBots, final int capacity)
    {
        this.clock = clock;
        this.finishedBots = finishedBots;
        this.bots = new Bot[capacity];
    }

    /**
     * Adds a bot to the group; called while the swarm is built, before the bot's connect is scheduled.
     */
    void add(final Bot bot)
    {
        bots[botCount++] = bot;
    }

    /**
     * Ends the run for every bot of the group: bots not yet connected never will, the others close.
     */
    void stopAll()
    {
        for (int i = 0; i < botCount; i++)
        {
            bots[i].stop();
        }
    }

    /**
     * Closes the connection of every bot of the group that has not finished closing.
     */
    void forceCloseAll()
    {
        for (int i = 0; i < botCount; i++)
        {
            bots[i].forceClose();
        }
    }

    long nanoTime()
    {
        return clock.nanoTime();
    }

    ControlCodec controlCodec()
    {
        return controlCodec;
    }

    UnsafeBuffer controlBuffer()
    {
        return controlBuffer;
    }

    UnsafeBuffer inputBuffer()
    {
        return inputBuffer;
    }

    ClientMessageFlyweight inputMessage()
    {
        return inputMessage;
    }

    SnapshotHeaderFlyweight snapshotHeader()
    {
        return snapshotHeader;
    }

    /**
     * Points the shared payload buffer at the readable bytes of {@code content}: at its memory when it has an
     * address or an array, otherwise at a copy in a reusable array that grows to the largest such message. Valid
     * only until {@code content} is released or this method is called again.
     *
     * @param content a message payload of at most {@link #MAX_PAYLOAD_LENGTH} bytes.
     * @return the shared payload buffer, holding the message at index 0.
     */
    UnsafeBuffer wrapPayload(final ByteBuf content)
    {
        final int length = content.readableBytes();
        final int readerIndex = content.readerIndex();
        if (content.hasMemoryAddress())
        {
            payloadBuffer.wrap(content.memoryAddress() + readerIndex, length);
        }
        else if (content.hasArray())
        {
            payloadBuffer.wrap(content.array(), content.arrayOffset() + readerIndex, length);
        }
        else
        {
            if (payloadCopy.length < length)
            {
                payloadCopy = new byte[BitUtil.findNextPositivePowerOfTwo(length)];
            }
            content.getBytes(readerIndex, payloadCopy, 0, length);
            payloadBuffer.wrap(payloadCopy, 0, length);
        }
        return payloadBuffer;
    }

    /**
     * Records the time from sending an input to receiving the first snapshot that says it was applied.
     */
    void onInputApplied(final long latencyNs)
    {
        final long latencyUs = TimeUnit.NANOSECONDS.toMicros(latencyNs);
        inputLatencyUs.recordValue(latencyUs < 0 ? 0 : Math.min(latencyUs, MAX_LATENCY_US));
    }

    /**
     * Logs the first error of each kind on this event loop, so a run with many failing bots logs a handful of lines.
     *
     * @param detail what went wrong: a throwable, a notice, a number or a short text.
     */
    void onError(final int botIndex, final BotError kind, final Object detail)
    {
        if (!loggedErrors[kind.ordinal()])
        {
            loggedErrors[kind.ordinal()] = true;
            if (detail instanceof Throwable)
            {
                LOGGER.warn("bot {}: {} (first on this thread)", botIndex, kind.description(), (Throwable)detail);
            }
            else
            {
                LOGGER.warn("bot {}: {}: {} (first on this thread)", botIndex, kind.description(), detail);
            }
        }
    }

    /**
     * Called once by each bot when it is done for good: closed, or never to connect.
     */
    void onBotFinished()
    {
        finishedBots.countDown();
    }

    /**
     * @return the input latency histogram, in microseconds; read it only after the event loop has terminated.
     */
    Histogram inputLatencyUs()
    {
        return inputLatencyUs;
    }
}
