package io.tickwire.sim.journal;

import io.tickwire.api.GameType;
import io.tickwire.codec.VarInts;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.Welcome;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * The header of a journal file ({@link JournalFormat}): which room, from which checkpoint, and the settings a replay
 * needs to build the room and its views as the shard did. Immutable.
 *
 * @param room                   the room's name.
 * @param type                   the room type's name.
 * @param tickRateHz             the shard's tick rate.
 * @param startTick              the tick of the checkpoint the journal starts from: its first record follows it.
 * @param checkpointCrc          CRC32 of the {@code .twc} file's bytes.
 * @param schemaCrc              {@link #schemaCrc(GameType)} of the room's type when recorded.
 * @param options                the options its game type was made with ({@code GameSettings.options()}).
 * @param viewRadius             the shard's view radius, world units.
 * @param viewHysteresis         the shard's view hysteresis, world units.
 * @param maxEntitiesPerSnapshot the shard's view cap.
 * @param historyWindowTicks     the shard's history window, ticks.
 * @param seed                   the server's seed.
 */
public record JournalHeader(
    String room, String type, int tickRateHz, long startTick, int checkpointCrc, int schemaCrc,
    Map<String, String> options, double viewRadius, double viewHysteresis, int maxEntitiesPerSnapshot,
    int historyWindowTicks, long seed)
{
    public JournalHeader
    {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(type, "type");
        options = Map.copyOf(options);
    }

    /**
     * Writes the header at {@code index}.
     *
     * @return the index after its last byte.
     */
    public int write(final MutableDirectBuffer buffer, final int index)
    {
        int at = index;
        buffer.putInt(at, JournalFormat.MAGIC, JournalFormat.BYTE_ORDER);
        buffer.putShort(at + 4, (short)JournalFormat.VERSION, JournalFormat.BYTE_ORDER);
        at = JournalRecords.putText(buffer, at + 6, room);
        at = JournalRecords.putText(buffer, at, type);
        at = VarInts.putVarLong(buffer, at, tickRateHz);
        buffer.putLong(at, startTick, JournalFormat.BYTE_ORDER);
        buffer.putInt(at + 8, checkpointCrc, JournalFormat.BYTE_ORDER);
        buffer.putInt(at + 12, schemaCrc, JournalFormat.BYTE_ORDER);
        at = JournalRecords.putPairs(buffer, at + 16, options);
        buffer.putDouble(at, viewRadius, JournalFormat.BYTE_ORDER);
        buffer.putDouble(at + 8, viewHysteresis, JournalFormat.BYTE_ORDER);
        at = VarInts.putVarLong(buffer, at + 16, maxEntitiesPerSnapshot);
        at = VarInts.putVarLong(buffer, at, historyWindowTicks);
        buffer.putLong(at, seed, JournalFormat.BYTE_ORDER);
        return at + 8;
    }

    /**
     * @return CRC32 of a WELCOME of fixed values that carries the type's entity schema, input schema and message
     * types: equal for equal schemas, in any process. A replay refuses a type whose schemas changed.
     */
    public static int schemaCrc(final GameType type)
    {
        final Welcome welcome = new Welcome(0, 1, 1, Welcome.NO_ENTITY, type.name(), "r", 1, type.entitySchema(),
            type.inputSchema(), type.messageTypes(), Map.of(), 0, null);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final int length = new ControlCodec().encode(welcome, buffer, 0);
        final CRC32 crc = new CRC32();
        crc.update(buffer.byteArray(), 0, length);
        return (int)crc.getValue();
    }
}
