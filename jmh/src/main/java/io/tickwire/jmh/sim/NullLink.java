package io.tickwire.jmh.sim;

import io.tickwire.sim.ClientLink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A link that copies each frame into its own buffer, as the real one copies into a pooled buffer, and keeps
 * nothing else. Single thread.
 */
final class NullLink implements ClientLink
{
    private final long sessionId;
    private final UnsafeBuffer sink = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
    long bytes;

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
