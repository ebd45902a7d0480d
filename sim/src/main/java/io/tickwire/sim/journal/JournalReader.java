package io.tickwire.sim.journal;

import io.tickwire.api.Identity;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.VarInts;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads a journal file held in memory, checking every byte against {@link JournalFormat}: the magic and version,
 * every length against the file's end, varints in shortest form and in range, texts as UTF-8 without control
 * characters, known record kinds, payloads used exactly, the END record's CRC and nothing after it. The first fault
 * throws a {@link JournalFormatException} naming its offset. Single threaded; allocates per JOIN only.
 * <pre>
 *   JournalReader reader = new JournalReader(bytes);      // reads and checks the header
 *   while (reader.next(record)) { ... }                    // false after a good END
 * </pre>
 */
public final class JournalReader
{
    private final byte[] bytes;
    private final UnsafeBuffer buffer;
    private final VarInts.Reader cursor = new VarInts.Reader();
    private final JournalHeader header;
    private int position;
    private boolean ended;

    /**
     * @throws JournalFormatException when the header is malformed or cut short.
     */
    public JournalReader(final byte[] bytes)
    {
        this.bytes = bytes;
        this.buffer = new UnsafeBuffer(bytes);
        this.header = readHeader();
    }

    /**
     * Reads and checks a whole file.
     *
     * @return its header and the number of records before END.
     * @throws JournalFormatException at the first fault.
     */
    public static long verify(final byte[] bytes)
    {
        final JournalReader reader = new JournalReader(bytes);
        final JournalRecord record = new JournalRecord();
        long records = 0;
        while (reader.next(record))
        {
            records++;
        }
        return records;
    }

    public JournalHeader header()
    {
        return header;
    }

    /**
     * @return the file's bytes, which MESSAGE records point into.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the offset of the next record.
     */
    public int position()
    {
        return position;
    }

    /**
     * Reads the next record into {@code record}.
     *
     * @return true when a record was read; false after END, once its CRC matched and nothing follows it.
     * @throws JournalFormatException at a fault: the file ends without END, inside a record, a kind is unknown, a
     * payload is malformed or longer or shorter than its length says, the CRC differs, bytes follow END.
     */
    public boolean next(final JournalRecord record)
    {
        if (ended)
        {
            return false;
        }
        final int start = position;
        if (start == bytes.length)
        {
            throw new JournalFormatException(start, "file ends without an END record (cut short or broken)");
        }
        cursor.wrap(buffer, start, bytes.length - start);
        final int kind = cursor.u8();
        if (kind < JournalFormat.JOIN || kind > JournalFormat.VIEW)
        {
            throw new JournalFormatException(start, "unknown record kind " + kind);
        }
        final int length = cursor.varInt(JournalFormat.MAX_PAYLOAD_LENGTH);
        if (!cursor.isValid() || length > cursor.remaining())
        {
            throw new JournalFormatException(start, "truncated " + JournalFormat.kindName(kind) + " record");
        }
        final int payloadStart = cursor.position();
        cursor.wrap(buffer, payloadStart, length);
        record.kind = kind;
        record.offset = start;
        readPayload(kind, record);
        if (!cursor.isValid())
        {
            throw new JournalFormatException(start, "malformed " + JournalFormat.kindName(kind) + " payload");
        }
        if (cursor.remaining() != 0)
        {
            throw new JournalFormatException(start, JournalFormat.kindName(kind) + " payload of " + length +
                " bytes has " + cursor.remaining() + " unread");
        }
        position = payloadStart + length;
        if (kind == JournalFormat.END)
        {
            checkEnd(start, record.worldChecksum);
            return false;
        }
        return true;
    }

    private void checkEnd(final int endOffset, final int storedCrc)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, endOffset);
        if ((int)crc.getValue() != storedCrc)
        {
            throw new JournalFormatException(endOffset, String.format("bad CRC: END says %08x, the bytes give %08x",
                storedCrc, (int)crc.getValue()));
        }
        if (position != bytes.length)
        {
            throw new JournalFormatException(position, (bytes.length - position) + " bytes after END");
        }
        ended = true;
    }

    private void readPayload(final int kind, final JournalRecord record)
    {
        switch (kind)
        {
            case JournalFormat.JOIN:
                readJoin(record);
                break;
            case JournalFormat.LEAVE:
                record.tick = tick();
                record.playerId = id();
                record.reason = LeaveReason.fromCode(cursor.u8());
                if (record.reason == null)
                {
                    cursor.fail();
                }
                break;
            case JournalFormat.INPUT:
                readInput(record);
                break;
            case JournalFormat.MESSAGE:
                record.tick = tick();
                record.playerId = id();
                record.typeId = id();
                record.fieldsLength = cursor.bytes(JournalFormat.MAX_PAYLOAD_LENGTH);
                record.fieldsOffset = cursor.position() - record.fieldsLength;
                break;
            case JournalFormat.TICK:
                record.tick = tick();
                record.worldChecksum = cursor.u32();
                break;
            case JournalFormat.FANOUT:
                readFanOut(record);
                break;
            case JournalFormat.REPLACE:
                record.tick = tick();
                record.playerId = id();
                break;
            case JournalFormat.VIEW:
                readView(record);
                break;
            default:
                record.worldChecksum = cursor.u32();
                break;
        }
    }

    private void readJoin(final JournalRecord record)
    {
        record.tick = tick();
        record.playerId = id();
        final int hasIdentity = cursor.u8();
        if (hasIdentity > 1)
        {
            cursor.fail();
        }
        if (hasIdentity == 1)
        {
            final String subject = text();
            final String name = text();
            final Map<String, String> claims = pairs();
            record.identity = cursor.isValid() ? new Identity(subject, name, claims) : null;
        }
        else
        {
            record.identity = null;
        }
        record.playerName = text();
        record.options = pairs();
    }

    private void readInput(final JournalRecord record)
    {
        record.tick = tick();
        record.playerId = id();
        record.inputSeq = (int)cursor.varLong();
        record.viewTick = cursor.zigzagLong();
        record.valueCount = cursor.varInt(InputSchema.MAX_FIELDS);
        for (int i = 0; i < record.valueCount; i++)
        {
            record.values[i] = cursor.zigzagInt();
        }
    }

    private void readFanOut(final JournalRecord record)
    {
        record.tick = tick();
        final int n = cursor.varInt(JournalFormat.MAX_FANOUT_PLAYERS);
        if (n > cursor.remaining() / 5)
        {
            cursor.fail();
            return;
        }
        record.ensureFanOutCapacity(n);
        record.fanOutCount = n;
        for (int i = 0; i < n; i++)
        {
            record.fanOutPlayerIds[i] = id();
            record.fanOutChecksums[i] = cursor.u32();
        }
    }

    private void readView(final JournalRecord record)
    {
        record.tick = tick();
        record.playerId = id();
        final int n = cursor.varInt(JournalFormat.MAX_FANOUT_PLAYERS);
        if (n > cursor.remaining())
        {
            cursor.fail();
            return;
        }
        record.ensureFanOutCapacity(n);
        record.fanOutCount = n;
        long id = 0;
        for (int i = 0; i < n; i++)
        {
            final long delta = cursor.varLong();
            id += delta;
            if (delta < 0 || (i > 0 && delta == 0) || id > Integer.MAX_VALUE)
            {
                cursor.fail();
                return;
            }
            record.fanOutPlayerIds[i] = (int)id;
        }
    }

    private JournalHeader readHeader()
    {
        cursor.wrap(buffer, 0, bytes.length);
        if (bytes.length < 6)
        {
            throw new JournalFormatException(0, "truncated header");
        }
        if (cursor.u32() != JournalFormat.MAGIC)
        {
            throw new JournalFormatException(0, "not a journal: no TWJ1 magic");
        }
        final int version = buffer.getShort(4, JournalFormat.BYTE_ORDER) & 0xFFFF;
        if (version != JournalFormat.VERSION)
        {
            throw new JournalFormatException(4, "unsupported journal version " + version);
        }
        cursor.skip(2);
        final String room = text();
        final String type = text();
        final int tickRateHz = cursor.varInt(1 << 16);
        final long startTick = i64();
        final int checkpointCrc = cursor.u32();
        final int schemaCrc = cursor.u32();
        final Map<String, String> options = pairs();
        final double viewRadius = Double.longBitsToDouble(i64());
        final double viewHysteresis = Double.longBitsToDouble(i64());
        final int maxEntities = cursor.varInt(Integer.MAX_VALUE);
        final int historyWindowTicks = cursor.varInt(Integer.MAX_VALUE);
        final long seed = i64();
        if (!cursor.isValid())
        {
            throw new JournalFormatException(cursor.position(), "truncated or malformed header");
        }
        position = cursor.position();
        return new JournalHeader(room, type, tickRateHz, startTick, checkpointCrc, schemaCrc, options, viewRadius,
            viewHysteresis, maxEntities, historyWindowTicks, seed);
    }

    private long tick()
    {
        final long tick = cursor.varLong();
        if (tick < 0)
        {
            cursor.fail();
        }
        return tick;
    }

    private int id()
    {
        return cursor.varInt(Integer.MAX_VALUE);
    }

    private long i64()
    {
        final int at = cursor.position();
        cursor.skip(8);
        return cursor.isValid() ? buffer.getLong(at, JournalFormat.BYTE_ORDER) : 0;
    }

    private String text()
    {
        final String text = cursor.string(0, JournalFormat.MAX_TEXT_LENGTH);
        return text != null ? text : "";
    }

    private Map<String, String> pairs()
    {
        final int count = cursor.varInt(JournalFormat.MAX_PAIRS);
        final Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < count && cursor.isValid(); i++)
        {
            final String key = text();
            if (pairs.put(key, text()) != null)
            {
                cursor.fail();
            }
        }
        return pairs;
    }
}
