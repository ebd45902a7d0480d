package io.tickwire.jmh.sim;

import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.sim.ClientLink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A link that copies each frame into its own buffer, as the real one copies into a pooled buffer, and remembers
 * the last snapshot sequence so the benchmark can acknowledge it as a client would. Single thread.
 */
final class NullLink implements ClientLink
{
    private final long sessionId;
    private final UnsafeBuffer sink = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
    long bytes;
    int lastSnapshotSeq;

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
        return true;
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

    public void sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        bytes += length;
    }

    public void close(final int statusCode, final String reason)
    {
    }
}
