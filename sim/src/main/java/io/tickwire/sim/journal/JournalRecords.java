package io.tickwire.sim.journal;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinOption;
import io.tickwire.api.JoinOptions;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.VarInts;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the payload of each {@link JournalFormat} record kind into a buffer. Each method returns the index after
 * the last byte written; the caller frames the payload ({@code kind | length | payload}). The buffer must hold the
 * payload: {@link #MAX_FIXED_PAYLOAD_LENGTH} for every kind but JOIN, MESSAGE and FANOUT, whose bounds are given.
 * Allocation free except {@link #putJoin}, which is cold. Any thread; stateless.
 */
public final class JournalRecords
{
    /** Longest payload of LEAVE, TICK, REPLACE and END. */
    public static final int MAX_FIXED_PAYLOAD_LENGTH = 3 * VarInts.MAX_LENGTH + 5;

    private JournalRecords()
    {
    }

    /**
     * @return the most bytes an INPUT of {@code valueCount} values takes.
     */
    public static int maxInputLength(final int valueCount)
    {
        return (5 + valueCount) * VarInts.MAX_LENGTH;
    }

    /**
     * @return the most bytes a MESSAGE of {@code length} field bytes takes.
     */
    public static int maxMessageLength(final int length)
    {
        return 4 * VarInts.MAX_LENGTH + length;
    }

    /**
     * @return the most bytes a FANOUT of {@code n} players takes.
     */
    public static int maxFanOutLength(final int n)
    {
        return 2 * VarInts.MAX_LENGTH + n * (VarInts.MAX_LENGTH + 4);
    }

    /**
     * Writes a JOIN; the player's options are written as given (options at their default are left out), in the
     * order the type declares them.
     */
    public static int putJoin(
        final MutableDirectBuffer buffer, final int index, final long tickAfter, final int playerId,
        final Identity identity, final String playerName, final GameType type, final JoinOptions options)
    {
        int at = putVarLong(buffer, index, tickAfter);
        at = putVarLong(buffer, at, playerId);
        buffer.putByte(at++, (byte)(identity != null ? 1 : 0));
        if (identity != null)
        {
            at = putText(buffer, at, identity.subject());
            at = putText(buffer, at, identity.name());
            at = putPairs(buffer, at, identity.claims());
        }
        at = putText(buffer, at, playerName);
        int given = 0;
        for (final JoinOption option : type.joinOptions())
        {
            given += options.isGiven(option.name()) ? 1 : 0;
        }
        at = putVarLong(buffer, at, given);
        for (final JoinOption option : type.joinOptions())
        {
            if (options.isGiven(option.name()))
            {
                at = putText(buffer, at, option.name());
                at = putText(buffer, at, options.text(option.name()));
            }
        }
        return at;
    }

    public static int putLeave(
        final MutableDirectBuffer buffer, final int index, final long tickAfter, final int playerId,
        final LeaveReason reason)
    {
        int at = putVarLong(buffer, index, tickAfter);
        at = putVarLong(buffer, at, playerId);
        buffer.putByte(at++, (byte)reason.code());
        return at;
    }

    public static int putInput(
        final MutableDirectBuffer buffer, final int index, final long tick, final int playerId, final int inputSeq,
        final long viewTick, final int[] values, final int valueOffset, final int valueCount)
    {
        int at = putVarLong(buffer, index, tick);
        at = putVarLong(buffer, at, playerId);
        at = putVarLong(buffer, at, inputSeq & 0xFFFF_FFFFL);
        at = VarInts.putVarLong(buffer, at, VarInts.zigzag(viewTick));
        at = putVarLong(buffer, at, valueCount);
        for (int i = 0; i < valueCount; i++)
        {
            at = VarInts.putVarLong(buffer, at, VarInts.zigzag(values[valueOffset + i]));
        }
        return at;
    }

    public static int putMessage(
        final MutableDirectBuffer buffer, final int index, final long tickAfter, final int playerId,
        final int typeId, final DirectBuffer fields, final int fieldsOffset, final int fieldsLength)
    {
        int at = putVarLong(buffer, index, tickAfter);
        at = putVarLong(buffer, at, playerId);
        at = putVarLong(buffer, at, typeId);
        at = putVarLong(buffer, at, fieldsLength);
        buffer.putBytes(at, fields, fieldsOffset, fieldsLength);
        return at + fieldsLength;
    }

    public static int putTick(
        final MutableDirectBuffer buffer, final int index, final long tick, final int worldChecksum)
    {
        final int at = putVarLong(buffer, index, tick);
        buffer.putInt(at, worldChecksum, JournalFormat.BYTE_ORDER);
        return at + 4;
    }

    public static int putFanOut(
        final MutableDirectBuffer buffer, final int index, final long tick, final int n, final int[] playerIds,
        final int[] viewChecksums)
    {
        int at = putVarLong(buffer, index, tick);
        at = putVarLong(buffer, at, n);
        for (int i = 0; i < n; i++)
        {
            at = putVarLong(buffer, at, playerIds[i]);
            buffer.putInt(at, viewChecksums[i], JournalFormat.BYTE_ORDER);
            at += 4;
        }
        return at;
    }

    /**
     * Writes a VIEW: the entity ids of {@code count} view keys (id in the high 32 bits, ascending).
     */
    public static int putView(
        final MutableDirectBuffer buffer, final int index, final long tick, final int playerId, final long[] viewKeys,
        final int count)
    {
        int at = putVarLong(buffer, putVarLong(buffer, index, tick), playerId);
        at = putVarLong(buffer, at, count);
        long previous = 0;
        for (int i = 0; i < count; i++)
        {
            final long id = viewKeys[i] >>> 32;
            at = putVarLong(buffer, at, id - previous);
            previous = id;
        }
        return at;
    }

    /**
     * @return the most bytes a VIEW of {@code count} entities takes.
     */
    public static int maxViewLength(final int count)
    {
        return (3 + count) * VarInts.MAX_LENGTH;
    }

    public static int putReplace(
        final MutableDirectBuffer buffer, final int index, final long tickAfter, final int playerId)
    {
        return putVarLong(buffer, putVarLong(buffer, index, tickAfter), playerId);
    }

    static int putText(final MutableDirectBuffer buffer, final int index, final String text)
    {
        return Utf8.putText(buffer, index, text, 0, JournalFormat.MAX_TEXT_LENGTH);
    }

    static int putPairs(final MutableDirectBuffer buffer, final int index, final Map<String, String> pairs)
    {
        if (pairs.size() > JournalFormat.MAX_PAIRS)
        {
            throw new IllegalArgumentException("more than " + JournalFormat.MAX_PAIRS + " pairs");
        }
        int at = putVarLong(buffer, index, pairs.size());
        for (final Map.Entry<String, String> pair : new TreeMap<>(pairs).entrySet())
        {
            at = putText(buffer, at, pair.getKey());
            at = putText(buffer, at, pair.getValue());
        }
        return at;
    }

    private static int putVarLong(final MutableDirectBuffer buffer, final int index, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("negative value in an unsigned field: " + value);
        }
        return VarInts.putVarLong(buffer, index, value);
    }
}
