package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.WireFormat;
import io.tickwire.sim.checkpoint.RoomSnapshot;

import java.util.concurrent.CompletableFuture;

/**
 * One entry of a shard's input ring, allocated once when the ring is built and reused. Written by the publishing
 * event loop between claim and publish, read by the shard thread, then cleared by the shard so no reference
 * outlives its event. The payload buffer of client messages is allocated the first time an entry carries one, then
 * reused.
 */
public final class InputEvent
{
    public static final byte JOIN = 1;
    public static final byte INPUT = 2;
    public static final byte LEAVE = 3;
    public static final byte CLOSED = 4;
    public static final byte MESSAGE = 5;
    public static final byte ACK = 6;
    /** A message that carries only a snapshot ack: a PING's, recorded like every other client message's. */
    public static final byte SNAPSHOT_ACK = 7;
    /** A request to look inside a room ({@link RoomInspection}); carries no link. */
    public static final byte INSPECT = 8;
    /** Restore a room from a checkpoint ({@link ShardAgent#requestRestore}); carries no link. */
    public static final byte RESTORE = 9;

    byte type;
    ClientLink link;
    JoinTicket join;
    RoomInspection inspection;
    RoomSnapshot restoreSnapshot;
    long restoreEpoch;
    CompletableFuture<Boolean> restoreDone;
    LeaveReason closeReason;
    int ack;
    int inputSeq;
    int viewTick;
    final int[] values = new int[InputSchema.MAX_FIELDS];
    int messageSeq;
    int messageAck;
    int messageTypeId;
    byte[] payload;
    int payloadLength;
    int fieldsOffset;

    public byte type()
    {
        return type;
    }

    public ClientLink link()
    {
        return link;
    }

    public JoinTicket join()
    {
        return join;
    }

    public RoomInspection inspection()
    {
        return inspection;
    }

    public int ack()
    {
        return ack;
    }

    public int inputSeq()
    {
        return inputSeq;
    }

    public int viewTick()
    {
        return viewTick;
    }

    /**
     * @return the values of an input, one per input-schema field; the event's own array, to read, not to keep.
     */
    public int[] values()
    {
        return values;
    }

    public int messageSeq()
    {
        return messageSeq;
    }

    /**
     * @return the stream ack of an {@link #ACK}.
     */
    public int messageAck()
    {
        return messageAck;
    }

    /**
     * @return why the player of a CLOSED event leaves.
     */
    public LeaveReason closeReason()
    {
        return closeReason;
    }

    byte[] payload()
    {
        if (payload == null)
        {
            payload = new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH];
        }
        return payload;
    }

    void clear()
    {
        type = 0;
        link = null;
        join = null;
        inspection = null;
        closeReason = null;
        restoreSnapshot = null;
        restoreDone = null;
    }
}
