package io.tickwire.codec.control;

import io.tickwire.codec.Sequence;
import io.tickwire.codec.VarInts;
import io.tickwire.codec.WireFormat;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client's reader of PRESENCE messages (see {@link PresenceEncoder} for the layout). Every byte is checked:
 * the stream sequence is not 0, each entry's op, ids, texts, counts and reason are in range, metadata keys are
 * distinct, and the entries fill the message exactly. Allocates the entries: presence is a cold event. Not thread
 * safe.
 */
public final class PresenceDecoder
{
    private final VarInts.Reader reader = new VarInts.Reader();
    private int seq;

    /**
     * @return the entries of a whole PRESENCE message in order, or null when it is malformed.
     */
    public List<PresenceEntry> decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= WireFormat.STREAM_HEADER_LENGTH || length > PresenceEncoder.MAX_MESSAGE_LENGTH ||
            buffer.getByte(offset) != WireFormat.TYPE_PRESENCE)
        {
            return null;
        }
        final int streamSeq = buffer.getInt(offset + WireFormat.STREAM_SEQ_OFFSET, WireFormat.BYTE_ORDER);
        if (streamSeq == Sequence.NONE)
        {
            return null;
        }

        final VarInts.Reader in = reader.wrap(
            buffer, offset + WireFormat.STREAM_HEADER_LENGTH, length - WireFormat.STREAM_HEADER_LENGTH);
        final List<PresenceEntry> entries = new ArrayList<>();
        while (in.isValid() && in.remaining() > 0)
        {
            final int op = in.u8();
            final int playerId = in.varInt(Integer.MAX_VALUE);
            if (op == PresenceEntry.OP_LEAVE)
            {
                final int reason = in.u8();
                if (!PresenceEncoder.isLeaveReason(reason))
                {
                    return null;
                }
                entries.add(new PresenceEntry(op, playerId, Welcome.NO_ENTITY, "", Map.of(), reason));
            }
            else if (op == PresenceEntry.OP_JOIN || op == PresenceEntry.OP_UPDATE)
            {
                final int entityId = in.varInt(Integer.MAX_VALUE) - 1;
                final String name = in.string(0, WireFormat.MAX_NAME_LENGTH);
                final Map<String, String> metadata = ControlCodec.readEntries(in, false);
                if (!in.isValid())
                {
                    return null;
                }
                entries.add(new PresenceEntry(op, playerId, entityId, name, metadata, 0));
            }
            else
            {
                return null;
            }
            if (playerId < 1)
            {
                return null;
            }
        }
        if (!in.isValid())
        {
            return null;
        }
        seq = streamSeq;
        return entries;
    }

    /**
     * @return the stream sequence of the message last decoded successfully.
     */
    public int seq()
    {
        return seq;
    }
}
