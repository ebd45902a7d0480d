package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The shard's handle on one client connection. Implemented by the network layer; called only by the shard thread
 * that owns the client's room. Every method copies what it is given and returns without blocking: the bytes are
 * written by the connection's own event loop.
 */
public interface ClientLink
{
    /** The {@link #rankNextSnapshot rank} of a snapshot that shows no new input: written after those that do. */
    long UNRANKED = Long.MAX_VALUE;

    /**
     * @return the server-wide id of the session, unique for the life of the process.
     */
    long sessionId();

    /**
     * @return false once the connection has closed; a closed link is dropped from its room at the next tick.
     */
    boolean isOpen();

    /**
     * @return why the connection closed, as far as the network layer knows: {@link LeaveReason#IDLE} after an idle
     * timeout, {@link LeaveReason#DISCONNECTED} otherwise. Read when the shard finds the link closed.
     */
    default LeaveReason closeReason()
    {
        return LeaveReason.DISCONNECTED;
    }

    /**
     * @return false when the player must not keep its seat for a resume after this link closed: the server closed
     * it for a protocol violation. Read when the shard finds the link closed.
     */
    default boolean mayResume()
    {
        return true;
    }

    /**
     * @return false while the connection's outbound buffer is above its high-water mark: a snapshot offered now
     * would only queue, so the shard skips (conflates) it.
     */
    boolean isWritable();

    /**
     * Ranks the snapshot offered next among those that the connection's event loop writes in one batch, lowest
     * first. The rank is when the shard took the oldest input that the snapshot is the first to show from its ring
     * (its clock at that drain, plus the input's place in it), so the client whose input waited longest for its
     * tick gets its snapshot first, and the fan-out's length does not add to the longest waits. Ranks of different
     * shards compare by their drains' times; {@link #UNRANKED} goes last. Called just before the offer; a link that
     * writes at once may ignore it.
     */
    default void rankNextSnapshot(final long rank)
    {
    }

    /**
     * Offers the snapshot frame for this tick. At most one snapshot waits per connection: an offer made while the
     * previous one is still unwritten replaces it. The link may hold it until the shard's next {@link SnapshotFlush},
     * after the stage of the tick's snapshots it belongs to.
     *
     * @return true when the frame was queued without replacing an unwritten one; false when it replaced one
     * (the older snapshot was conflated).
     */
    boolean offerSnapshot(DirectBuffer buffer, int offset, int length);

    /**
     * Offers the snapshot frame for this tick as two parts that the client receives as one message: this client's
     * {@code header} (its snapshot header and message ack) followed by a {@code body} shared with other clients of
     * the room. Conflated as {@link #offerSnapshot(DirectBuffer, int, int)} is. The body is valid only during the
     * call: a link that keeps it takes its own reference (the network layer's pooled bodies) or copies it. This
     * default copies both into a new array, for links that are not on a hot path (tests).
     *
     * @return as {@link #offerSnapshot(DirectBuffer, int, int)}.
     */
    default boolean offerSnapshot(
        final DirectBuffer header, final int headerOffset, final int headerLength, final SharedSnapshotBody body)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[headerLength + body.length()]);
        frame.putBytes(0, header, headerOffset, headerLength);
        frame.putBytes(headerLength, body.bytes(), 0, body.length());
        return offerSnapshot(frame, 0, frame.capacity());
    }

    /**
     * Sends a control frame. Control frames are never conflated and are written before any snapshot offered after
     * them.
     */
    void sendControl(DirectBuffer buffer, int offset, int length);

    /**
     * Closes the connection with a WebSocket close status once the frames sent before are written.
     *
     * @param statusCode WebSocket close status, see {@link io.tickwire.codec.CloseCodes}.
     * @param reason     short reason for humans, at most 123 UTF-8 bytes.
     */
    void close(int statusCode, String reason);

    /**
     * The link of a seat restored from a checkpoint before its player reconnects: closed, never writable, sends
     * nothing, may not be resumed (the player takes the seat back with a JOIN of its identity). Its session id is
     * never registered with a shard.
     */
    ClientLink DETACHED = new ClientLink()
    {
        public long sessionId()
        {
            return Long.MIN_VALUE;
        }

        public boolean isOpen()
        {
            return false;
        }

        public boolean mayResume()
        {
            return false;
        }

        public boolean isWritable()
        {
            return false;
        }

        public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
        {
            return false;
        }

        public void sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void close(final int statusCode, final String reason)
        {
        }

        public String toString()
        {
            return "ClientLink.DETACHED";
        }
    };
}
