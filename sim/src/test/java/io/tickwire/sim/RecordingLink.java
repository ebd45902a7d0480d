package io.tickwire.sim;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A client link that records what a shard sends it, for tests driving a shard by hand on one thread.
 */
final class RecordingLink implements ClientLink
{
    final List<byte[]> controls = new ArrayList<>();
    final List<byte[]> snapshots = new ArrayList<>();
    final long sessionId;
    boolean open = true;
    boolean writable = true;
    int closeCode;

    RecordingLink(final long sessionId)
    {
        this.sessionId = sessionId;
    }

    public long sessionId()
    {
        return sessionId;
    }

    public boolean isOpen()
    {
        return open;
    }

    public boolean isWritable()
    {
        return writable;
    }

    public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        snapshots.add(copy(buffer, offset, length));
        return true;
    }

    public void sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        controls.add(copy(buffer, offset, length));
    }

    public void close(final int statusCode, final String reason)
    {
        closeCode = statusCode;
        open = false;
    }

    byte[] lastSnapshot()
    {
        return snapshots.get(snapshots.size() - 1);
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
