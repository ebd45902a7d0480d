package io.tickwire.bots;

import io.tickwire.codec.WireFormat;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The frames one bot sends at once (an input, an ACK, a ping, messages), framed and masked ({@link ClientFrames})
 * into one buffer of native memory that the event loop's bots share, until the bot flushes them in one write (or
 * hands a copy to the loop's {@link io.tickwire.io.SendRing}, which sends the cycle's together). One
 * bot's frames at a time: a bot that appends while another's are held first has the other's flushed, so no bytes
 * ever go to the wrong connection, and none wait past the next append.
 * <p>
 * Owned by its event loop. Allocates nothing once built.
 */
final class SendBatch
{
    /** Room for at least this many of the longest client messages, framed. */
    private static final int MESSAGES = 64;

    private final UnsafeBuffer frames = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
        MESSAGES * ClientFrames.frameLength(WireFormat.MAX_CLIENT_MESSAGE_LENGTH), Long.BYTES));
    /**
     * Whoever holds frames in a batch: a bot's handler.
     */
    interface Holder
    {
        /**
         * Writes the frames the holder holds in the batch, and clears it.
         */
        void flush();
    }

    private Holder owner;
    private int length;

    /**
     * Frames {@code payloadLength} bytes of {@code payload} as a binary frame after the frames {@code handler} already
     * holds here.
     *
     * @param payloadLength at most {@link WireFormat#MAX_CLIENT_MESSAGE_LENGTH} times {@link #MESSAGES}.
     */
    void append(final Holder handler, final DirectBuffer payload, final int payloadLength)
    {
        if (owner != handler && owner != null)
        {
            owner.flush();
        }
        if (length + ClientFrames.frameLength(payloadLength) > frames.capacity())
        {
            handler.flush();
        }
        owner = handler;
        length += ClientFrames.frame(frames, length, ServerFrameReader.OPCODE_BINARY, payload, payloadLength);
    }

    /**
     * @return the bytes {@code handler} holds here, in {@link #frames()}, from index 0; 0 when another bot holds
     * the batch.
     */
    int lengthOf(final Holder handler)
    {
        return owner == handler ? length : 0;
    }

    /**
     * @return the batch's memory; valid until the next {@link #append}.
     */
    UnsafeBuffer frames()
    {
        return frames;
    }

    /**
     * Empties the batch, once its holder has written or dropped its bytes.
     */
    void clear()
    {
        owner = null;
        length = 0;
    }
}
