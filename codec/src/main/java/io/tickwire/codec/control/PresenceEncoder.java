package io.tickwire.codec.control;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.VarInts;
import io.tickwire.codec.WireFormat;
import org.agrona.MutableDirectBuffer;

/**
 * Writes PRESENCE messages (0x46): the header, then one or more entries to the end of the message.
 * <pre>
 *   header  0x46 | stream seq u32
 *   JOIN    op u8 = 1 | playerId varint | entityId+1 varint | name text | metadataCount varint |
 *           (key text, value text)*
 *   UPDATE  op u8 = 3 | same as JOIN
 *   LEAVE   op u8 = 2 | playerId varint | reason u8 (LeaveReason code)
 * </pre>
 * A message holds at most {@link #MAX_MESSAGE_LENGTH} bytes: check {@link #hasRoomForEntry} (or, to pack tightly,
 * {@link #hasRoomFor} with {@link #joinEntryLength}) before each entry of a
 * batch. The stream sequence is at offset 1, as in a room MESSAGE: {@link MessageEncoder#patchSeq} changes it per
 * recipient. Allocation free; not thread safe.
 */
public final class PresenceEncoder
{
    /** Largest PRESENCE message. */
    public static final int MAX_MESSAGE_LENGTH = 8192;

    private static final int MAX_JOIN_ENTRY_LENGTH = 1 + 5 + 5 + 1 + WireFormat.MAX_NAME_LENGTH +
        ControlCodec.MAX_ENTRIES_LENGTH;
    private static final int MAX_LEAVE_ENTRY_LENGTH = 1 + 5 + 1;

    private static final LeaveReason[] LEAVE_REASONS = LeaveReason.values();

    private int start = -1;

    /**
     * @return true when {@code code} is the wire code of a {@link LeaveReason}; allocation free, unlike
     * {@link LeaveReason#fromCode}.
     */
    static boolean isLeaveReason(final int code)
    {
        for (final LeaveReason reason : LEAVE_REASONS)
        {
            if (reason.code() == code)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the most bytes one entry takes: a JOIN or UPDATE with every name and metadata entry at its limit.
     */
    public static int maxEntryLength()
    {
        return MAX_JOIN_ENTRY_LENGTH;
    }

    /**
     * @return the exact bytes a JOIN or UPDATE entry with these values takes, for packing a batch tightly with
     * {@link #hasRoomFor}; the values are checked when the entry is written.
     */
    public static int joinEntryLength(
        final int playerId, final int entityId, final String name, final String[] keys, final String[] values,
        final int metadataCount)
    {
        int length = 1 + VarInts.lengthOf(playerId) + VarInts.lengthOf(entityId + 1L) + textLength(name) +
            VarInts.lengthOf(metadataCount);
        for (int i = 0; i < metadataCount; i++)
        {
            length += textLength(keys[i]) + textLength(values[i]);
        }
        return length;
    }

    /**
     * @return true when an entry of {@code entryLength} bytes fits the message begun last, at {@code position}.
     */
    public boolean hasRoomFor(final int position, final int entryLength)
    {
        return start >= 0 && position - start + entryLength <= MAX_MESSAGE_LENGTH;
    }

    private static int textLength(final String text)
    {
        final int length = Math.max(0, Utf8.encodedLength(text));
        return VarInts.lengthOf(length) + length;
    }

    /**
     * Starts a PRESENCE message at {@code offset}.
     *
     * @param seq the recipient's stream sequence; {@link MessageEncoder#patchSeq} changes it afterwards.
     * @return the position of the first entry.
     */
    public int begin(final MutableDirectBuffer buffer, final int offset, final int seq)
    {
        buffer.putByte(offset, WireFormat.TYPE_PRESENCE);
        MessageEncoder.patchSeq(buffer, offset, seq);
        start = offset;
        return offset + WireFormat.STREAM_HEADER_LENGTH;
    }

    /**
     * @return true when one more entry of any kind fits the message begun last, at {@code position}.
     */
    public boolean hasRoomForEntry(final int position)
    {
        return start >= 0 && position - start + MAX_JOIN_ENTRY_LENGTH <= MAX_MESSAGE_LENGTH;
    }

    /**
     * Writes a JOIN or UPDATE entry.
     *
     * @param op            {@link PresenceEntry#OP_JOIN} or {@link PresenceEntry#OP_UPDATE}.
     * @param playerId      1 or more.
     * @param entityId      the player's avatar, or {@link Welcome#NO_ENTITY}.
     * @param name          0..32 UTF-8 bytes without control characters.
     * @param keys          metadata keys at {@code 0..metadataCount)}: 1..32 bytes, distinct.
     * @param values        metadata values at {@code 0..metadataCount)}: 0..64 bytes.
     * @param metadataCount 0..8.
     * @return the position after the entry.
     * @throws IllegalArgumentException when an argument breaks the rules above or the entry does not fit the
     *                                  message: our own write, so a bug of the caller.
     */
    public int putJoin(
        final MutableDirectBuffer buffer,
        final int position,
        final int op,
        final int playerId,
        final int entityId,
        final String name,
        final String[] keys,
        final String[] values,
        final int metadataCount)
    {
        if ((op != PresenceEntry.OP_JOIN && op != PresenceEntry.OP_UPDATE) || playerId < 1 ||
            entityId < Welcome.NO_ENTITY || entityId == Integer.MAX_VALUE || metadataCount < 0 ||
            metadataCount > WireFormat.MAX_ENTRIES || hasDuplicate(keys, metadataCount) ||
            !hasRoomFor(position, joinEntryLength(playerId, entityId, name, keys, values, metadataCount)))
        {
            throw new IllegalArgumentException("bad presence entry for player " + playerId);
        }
        buffer.putByte(position, (byte)op);
        int at = VarInts.putVarLong(buffer, position + 1, playerId);
        at = VarInts.putVarLong(buffer, at, entityId + 1L);
        at = Utf8.putText(buffer, at, name, 0, WireFormat.MAX_NAME_LENGTH);
        at = VarInts.putVarLong(buffer, at, metadataCount);
        for (int i = 0; i < metadataCount; i++)
        {
            at = Utf8.putText(buffer, at, keys[i], 1, WireFormat.MAX_KEY_LENGTH);
            at = Utf8.putText(buffer, at, values[i], 0, WireFormat.MAX_VALUE_LENGTH);
        }
        return at;
    }

    /**
     * Writes a LEAVE entry.
     *
     * @param reasonCode a {@link LeaveReason} code.
     * @return the position after the entry.
     * @throws IllegalArgumentException when the player id or the reason is invalid or the entry does not fit.
     */
    public int putLeave(final MutableDirectBuffer buffer, final int position, final int playerId, final int reasonCode)
    {
        if (playerId < 1 || !isLeaveReason(reasonCode) ||
            start < 0 || position - start + MAX_LEAVE_ENTRY_LENGTH > MAX_MESSAGE_LENGTH)
        {
            throw new IllegalArgumentException("bad presence leave for player " + playerId + ": " + reasonCode);
        }
        buffer.putByte(position, (byte)PresenceEntry.OP_LEAVE);
        final int at = VarInts.putVarLong(buffer, position + 1, playerId);
        buffer.putByte(at, (byte)reasonCode);
        return at + 1;
    }

    private static boolean hasDuplicate(final String[] keys, final int count)
    {
        for (int i = 1; i < count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (keys[i].equals(keys[j]))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
