package io.tickwire.sim.journal;

import io.tickwire.codec.WireFormat;

import java.nio.ByteOrder;

/**
 * The layout of a room's input journal, {@code <dir>/<room>/<startTick>.twj}, written beside the checkpoint it
 * starts from, {@code <startTick>.twc}. Little-endian; every varint is an unsigned LEB128 of codec's
 * {@link io.tickwire.codec.VarInts} (shortest form), {@code zvar} a zigzag varint, {@code text} a varint byte length
 * then UTF-8.
 * <pre>
 *   header   "TWJ1" | u16 version=1 | text room | text type | var tickRateHz | i64 startTick
 *            | u32 crc32 of the .twc file | u32 schemaCrc (CRC32 of the type's schemas, see JournalHeader)
 *            | var optionCount, (text key, text value)*        (the game type's GameSettings options)
 *            | f64 viewRadius | f64 viewHysteresis | var maxEntitiesPerSnapshot | var historyWindowTicks | i64 seed
 *   record   u8 kind | var payloadLength | payload
 *     1 JOIN     var tickAfter, var playerId, u8 hasIdentity, [text subject, text identityName,
 *                var claimCount, (text k, text v)*], text playerName, var optionCount, (text k, text v)*
 *     2 LEAVE    var tickAfter, var playerId, u8 reason (LeaveReason.code())
 *     3 INPUT    var tick, var playerId, var inputSeq, zvar viewTick, var valueCount, zvar value*
 *     4 MESSAGE  var tickAfter, var playerId, var typeId, var length, the message's field bytes
 *     5 TICK     var tick, u32 worldChecksum (ViewChecksum over the whole entity table after capture)
 *     6 FANOUT   var tick, var n, (var playerId, u32 viewChecksum)*
 *     7 REPLACE  var tickAfter, var playerId       (a seat taken by a new connection)
 *     8 END      u32 crc32 of every byte before this record's kind byte
 *     9 VIEW     var tick, var playerId, var n, (var entityId - previous id)*   (ascending; the previous of the
 *                first is 0): the last view sent to a player before the file's checkpoint, at its start only
 * </pre>
 * Records follow in the order the shard applied them, so a reader needs no sorting. A file without END was cut
 * short: the process died, or the journal broke (its ring was full) and the writer stopped it. A file that starts
 * from a checkpoint of a running room (a rotation) opens with VIEW records: a view's hysteresis depends on the view
 * before, which the checkpoint does not hold.
 */
public final class JournalFormat
{
    public static final ByteOrder BYTE_ORDER = WireFormat.BYTE_ORDER;
    /** "TWJ1" as a little-endian int. */
    public static final int MAGIC = 'T' | 'W' << 8 | 'J' << 16 | '1' << 24;
    public static final int VERSION = 1;
    public static final String JOURNAL_SUFFIX = ".twj";
    public static final String CHECKPOINT_SUFFIX = ".twc";

    public static final int JOIN = 1;
    public static final int LEAVE = 2;
    public static final int INPUT = 3;
    public static final int MESSAGE = 4;
    public static final int TICK = 5;
    public static final int FANOUT = 6;
    public static final int REPLACE = 7;
    public static final int END = 8;
    public static final int VIEW = 9;

    /** Longest text of the header or of a JOIN, in UTF-8 bytes. */
    public static final int MAX_TEXT_LENGTH = 1024;
    /** Most key/value pairs in one map (options, claims). */
    public static final int MAX_PAIRS = 16;
    /** Most players in a FANOUT record, and most entities in a VIEW. */
    public static final int MAX_FANOUT_PLAYERS = 1 << 16;
    /** Longest record payload. */
    public static final int MAX_PAYLOAD_LENGTH = MAX_FANOUT_PLAYERS * 10 + 16;
    /** Longest header. */
    public static final int MAX_HEADER_LENGTH = 8 + (2 + 2 * MAX_PAIRS) * (5 + MAX_TEXT_LENGTH) + 64;
    /** Length of an END record: kind, length 4, crc. */
    public static final int END_LENGTH = 6;

    private JournalFormat()
    {
    }

    /**
     * @return the record kind's name, for reports; "kind N" for a value that is none.
     */
    public static String kindName(final int kind)
    {
        switch (kind)
        {
            case JOIN:
                return "JOIN";
            case LEAVE:
                return "LEAVE";
            case INPUT:
                return "INPUT";
            case MESSAGE:
                return "MESSAGE";
            case TICK:
                return "TICK";
            case FANOUT:
                return "FANOUT";
            case REPLACE:
                return "REPLACE";
            case END:
                return "END";
            case VIEW:
                return "VIEW";
            default:
                return "kind " + kind;
        }
    }
}
