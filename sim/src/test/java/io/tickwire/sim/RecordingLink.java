package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.WireFormat;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A client link that records what a shard sends it, for tests driving a shard by hand on one thread: one ordered
 * list of every frame, control frames (welcome, notices, stream messages) and snapshots alike, so a test can check
 * what was written before what.
 */
final class RecordingLink implements ClientLink
{
    final List<byte[]> frames = new ArrayList<>();
    /** Indexes into {@link #frames} of the snapshots offered as a header and a shared body. */
    final Set<Integer> sharedOffers = new HashSet<>();
    final long sessionId;
    /** The rank given before each snapshot offer, in order. */
    final List<Long> snapshotRanks = new ArrayList<>();
    /** Where the session id is added at each snapshot offer, if set: one log shared by links shows the shard's order. */
    List<Long> offerLog;
    boolean open = true;
    LeaveReason leaveReason = LeaveReason.DISCONNECTED;
    boolean writable = true;
    int closeCode;
    String closeReason;
    int closeCount;

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

    public LeaveReason closeReason()
    {
        return leaveReason;
    }

    public boolean isWritable()
    {
        return writable;
    }

    public void rankNextSnapshot(final long rank)
    {
        snapshotRanks.add(rank);
        if (offerLog != null)
        {
            offerLog.add(sessionId);
        }
    }

    public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
    {
        frames.add(copy(buffer, offset, length));
        return true;
    }

    public boolean offerSnapshot(
        final DirectBuffer header, final int headerOffset, final int headerLength, final SharedSnapshotBody body)
    {
        sharedOffers.add(frames.size());
        return ClientLink.super.offerSnapshot(header, headerOffset, headerLength, body);
    }

    public void sendControl(final DirectBuffer buffer, final int offset, final int length)
    {
        frames.add(copy(buffer, offset, length));
    }

    public void close(final int statusCode, final String reason)
    {
        if (closeCount++ == 0)
        {
            closeCode = statusCode;
            closeReason = reason;
        }
        open = false;
    }

    /**
     * @return the snapshot frames, in the order offered.
     */
    List<byte[]> snapshots()
    {
        return framesOfType(WireFormat.TYPE_SNAPSHOT, true);
    }

    /**
     * @return every frame but snapshots, in the order sent.
     */
    List<byte[]> controls()
    {
        return framesOfType(WireFormat.TYPE_SNAPSHOT, false);
    }

    byte[] lastSnapshot()
    {
        final List<byte[]> snapshots = snapshots();
        return snapshots.get(snapshots.size() - 1);
    }

    private List<byte[]> framesOfType(final byte type, final boolean wanted)
    {
        final List<byte[]> selected = new ArrayList<>();
        for (final byte[] frame : frames)
        {
            if ((frame[0] == type) == wanted)
            {
                selected.add(frame);
            }
        }
        return selected;
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
