package io.tickwire.jmh.sim;

import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.sim.ClientLink;
import io.tickwire.sim.SharedSnapshotBody;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A link that copies each frame into its own reused buffer, as the real one frames snapshots into its own slots, and
 * remembers what a client acknowledges: the last snapshot sequence, and the last stream sequence of the room
 * messages and presence events among its control frames. Single thread.
 */
final class NullLink implements ClientLink
{
    /** Room for the largest frame the benchmarks send: a full snapshot of 1,200 arena entities is about 17 KiB. */
    private static final int SINK_LENGTH = 1 << 16;

    private final long sessionId;
    private final UnsafeBuffer sink = new UnsafeBuffer(ByteBuffer.allocateDirect(SINK_LENGTH));
    long bytes;
    int lastSnapshotSeq;
    int lastStreamSeq;
    int closeCode;

    NullLink(final long sessionId)
    {
        this.sessionId = sessionId;
    }

    public long sessionId()
    {
        return sessionId;
    }

    public boolean isOpen()
    {
        return closeCode == 0;
    }

    public boolean isWritable()
    {
        return true;
    }

    public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        sink.putBytes(0, buffer, offset, length);
        bytes += length;
        lastSnapshotSeq = buffer.getInt(offset + SnapshotHeaderFlyweight.SNAPSHOT_SEQ_OFFSET, WireFormat.BYTE_ORDER);
        return true;
    }

    /**
     * Copies only the header, as the real link does: it keeps a reference to the shared body instead of a copy.
     */
    public boolean offerSnapshot(
        final DirectBuffer header, final int headerOffset, final int headerLength, final SharedSnapshotBody body)
    {
        sink.putBytes(0, header, headerOffset, headerLength);
        bytes += headerLength + body.length();
        lastSnapshotSeq = header.getInt(
            headerOffset + SnapshotHeaderFlyweight.SNAPSHOT_SEQ_OFFSET, WireFormat.BYTE_ORDER);
        return true;
    }

    public void sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        sink.putBytes(0, buffer, offset, length);
        bytes += length;
        final byte type = buffer.getByte(offset);
        if (type == WireFormat.TYPE_ROOM_MESSAGE || type == WireFormat.TYPE_PRESENCE)
        {
            lastStreamSeq = buffer.getInt(offset + WireFormat.STREAM_SEQ_OFFSET, WireFormat.BYTE_ORDER);
        }
    }

    public void close(final int statusCode, final String reason)
    {
        closeCode = statusCode;
    }
}
