package io.tickwire.sim.checkpoint;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.tickwire.api.Identity;
import io.tickwire.api.Player;
import io.tickwire.api.RoomContext;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Checkpoint bytes: {@code "TWC1"} then a Kryo stream of one {@link RoomSnapshot} (class id and object; its seats,
 * metadata, maps and game bytes inside). Kryo with registration required, references off and explicit ids:
 * <pre>
 *   20 RoomSnapshot   21 SeatState   22 String[]   23 byte[]   24 HashMap (String -> String)
 * </pre>
 * Every serializer is written by hand (no reflection, no {@code --add-opens}), and every length read is checked
 * against the bytes left before anything is allocated, so hostile bytes cost at most their own size. One
 * {@code Kryo}/{@code Output} per thread: a cold path, run on the cluster or journal thread, never the shard's.
 * <pre>
 *   RoomSnapshot  varint formatVersion | str room | str type | long epoch | long tick | long randomState
 *                 | varint nextPlayerId | bool pinned, locked, hidden, faulted | varint failedTicks | long emptyTicks
 *                 | String[] metaKeys | String[] metaValues | HashMap createOptions | varint seatCount
 *                 | SeatState* | varint gameVersion | byte[] game | long captureCrc
 *   SeatState     varint playerId | int entityId | str name | bool hasIdentity [str subject | str identityName
 *                 | HashMap claims] | HashMap options | String[] metaKeys | String[] metaValues
 *   str           varint (UTF-8 length + 1, 0 = null) | bytes        String[], byte[]: varint length | items
 *   HashMap       varint count | (str key | str value)*
 * </pre>
 */
public final class CheckpointCodec
{
    /** The first four bytes of every checkpoint. */
    public static final byte[] MAGIC = "TWC1".getBytes(StandardCharsets.US_ASCII);
    /** Largest checkpoint accepted or written: 64 MiB. */
    public static final int MAX_CHECKPOINT_BYTES = 64 << 20;

    private static final int ROOM_SNAPSHOT_ID = 20;
    private static final int SEAT_STATE_ID = 21;
    private static final int STRING_ARRAY_ID = 22;
    private static final int BYTE_ARRAY_ID = 23;
    private static final int HASH_MAP_ID = 24;
    private static final int MAX_SEATS = 1 << 16;
    private static final int MAX_MAP_ENTRIES = 1 << 10;
    private static final ThreadLocal<Codec> CODECS = ThreadLocal.withInitial(Codec::new);

    private CheckpointCodec()
    {
    }

    /**
     * Encodes a filled frame: its snapshot and its game bytes. Any thread but the shard's (it allocates); the caller
     * releases the frame afterwards.
     *
     * @return the checkpoint bytes.
     */
    public static byte[] write(final CheckpointFrame frame)
    {
        final byte[] game = new byte[frame.gameLength()];
        frame.game().getBytes(0, game, 0, game.length);
        return write(frame.snapshot(), game);
    }

    /**
     * Encodes a decoded snapshot again (it owns its game bytes): for tools and tests. Any thread.
     *
     * @return the checkpoint bytes.
     */
    public static byte[] write(final RoomSnapshot snapshot)
    {
        return write(snapshot, Arrays.copyOf(snapshot.game(), snapshot.gameLength()));
    }

    /**
     * Decodes checkpoint bytes. Any thread.
     *
     * @return a new snapshot that owns its game bytes.
     * @throws CheckpointFormatException when the bytes are not a checkpoint of this format: foreign, truncated,
     *                                   trailing bytes, an unregistered class id, a length or count out of range.
     */
    public static RoomSnapshot read(final byte[] bytes) throws CheckpointFormatException
    {
        if (bytes == null || bytes.length < MAGIC.length ||
            !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length))
        {
            throw new CheckpointFormatException("not a checkpoint: no TWC1 magic");
        }
        if (bytes.length > MAX_CHECKPOINT_BYTES)
        {
            throw new CheckpointFormatException("checkpoint of " + bytes.length + " bytes is too large");
        }
        final Codec codec = CODECS.get();
        final Input input = new Input(bytes, MAGIC.length, bytes.length - MAGIC.length);
        final Object root;
        try
        {
            root = codec.kryo.readClassAndObject(input);
        }
        catch (final RuntimeException ex)
        {
            throw new CheckpointFormatException("bad checkpoint: " + ex.getMessage(), ex);
        }
        if (!(root instanceof RoomSnapshot))
        {
            throw new CheckpointFormatException("not a room snapshot: " + (root == null ? null : root.getClass()));
        }
        if (input.position() != input.limit())
        {
            throw new CheckpointFormatException((input.limit() - input.position()) + " bytes after the snapshot");
        }
        return (RoomSnapshot)root;
    }

    private static byte[] write(final RoomSnapshot snapshot, final byte[] game)
    {
        final Codec codec = CODECS.get();
        final Output output = codec.output;
        output.reset();
        output.writeBytes(MAGIC);
        codec.snapshots.game = game;
        try
        {
            codec.kryo.writeClassAndObject(output, snapshot);
        }
        finally
        {
            codec.snapshots.game = null;
        }
        return output.toBytes();
    }

    private static void writeString(final Output output, final String value)
    {
        if (value == null)
        {
            output.writeVarInt(0, true);
            return;
        }
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        output.writeVarInt(utf8.length + 1, true);
        output.writeBytes(utf8);
    }

    private static String readString(final Input input)
    {
        final int lengthPlusOne = input.readVarInt(true);
        if (lengthPlusOne == 0)
        {
            return null;
        }
        final int length = checkedLength(input, lengthPlusOne - 1, 1);
        return new String(input.readBytes(length), StandardCharsets.UTF_8);
    }

    /**
     * @return {@code count} when {@code count} items of at least {@code minItemBytes} each fit in what is left.
     */
    private static int checkedLength(final Input input, final int count, final int minItemBytes)
    {
        if (count < 0 || (long)count * minItemBytes > input.limit() - input.position())
        {
            throw new IllegalArgumentException("length " + count + " beyond the bytes left");
        }
        return count;
    }

    private static int checkedRange(final int value, final int max, final String what)
    {
        if (value < 0 || value > max)
        {
            throw new IllegalArgumentException(what + " " + value + " out of 0.." + max);
        }
        return value;
    }

    private static HashMap<String, String> mapOf(final Map<String, String> map)
    {
        return map == null ? new HashMap<>() : new HashMap<>(map);
    }

    /**
     * One thread's Kryo and output buffer.
     */
    private static final class Codec
    {
        final Kryo kryo = new Kryo();
        final Output output = new Output(4096, MAX_CHECKPOINT_BYTES);
        final RoomSnapshotSerializer snapshots = new RoomSnapshotSerializer();

        Codec()
        {
            kryo.setRegistrationRequired(true);
            kryo.setReferences(false);
            kryo.register(RoomSnapshot.class, snapshots, ROOM_SNAPSHOT_ID);
            kryo.register(SeatState.class, new SeatStateSerializer(), SEAT_STATE_ID);
            kryo.register(String[].class, new StringArraySerializer(), STRING_ARRAY_ID);
            kryo.register(byte[].class, new ByteArraySerializer(), BYTE_ARRAY_ID);
            kryo.register(HashMap.class, new StringMapSerializer(), HASH_MAP_ID);
        }
    }

    private static final class RoomSnapshotSerializer extends Serializer<RoomSnapshot>
    {
        /** The game bytes of the snapshot being written: a frame's snapshot keeps them in the frame's buffer. */
        byte[] game;

        RoomSnapshotSerializer()
        {
            setImmutable(true);
        }

        public void write(final Kryo kryo, final Output output, final RoomSnapshot snapshot)
        {
            output.writeVarInt(RoomSnapshot.FORMAT_VERSION, true);
            writeString(output, snapshot.room());
            writeString(output, snapshot.type());
            output.writeLong(snapshot.epoch());
            output.writeLong(snapshot.tick());
            output.writeLong(snapshot.randomState());
            output.writeVarInt(snapshot.nextPlayerId(), true);
            output.writeBoolean(snapshot.pinned());
            output.writeBoolean(snapshot.locked());
            output.writeBoolean(snapshot.hidden());
            output.writeBoolean(snapshot.faulted());
            output.writeVarInt(snapshot.failedTicks(), true);
            output.writeLong(snapshot.emptyTicks());
            kryo.writeObject(output, Arrays.copyOf(snapshot.metaKeys(), snapshot.metaCount()));
            kryo.writeObject(output, Arrays.copyOf(snapshot.metaValues(), snapshot.metaCount()));
            kryo.writeObject(output, mapOf(snapshot.createOptions()));
            output.writeVarInt(snapshot.seatCount(), true);
            for (int i = 0; i < snapshot.seatCount(); i++)
            {
                kryo.writeObject(output, snapshot.seat(i));
            }
            output.writeVarInt(snapshot.gameVersion(), true);
            kryo.writeObject(output, game);
            output.writeLong(snapshot.captureCrc());
        }

        @SuppressWarnings("unchecked")
        public RoomSnapshot read(final Kryo kryo, final Input input, final Class<? extends RoomSnapshot> type)
        {
            final int formatVersion = input.readVarInt(true);
            if (formatVersion != RoomSnapshot.FORMAT_VERSION)
            {
                throw new IllegalArgumentException("checkpoint format " + formatVersion);
            }
            final String room = readString(input);
            final String roomType = readString(input);
            final long epoch = input.readLong();
            final long tick = input.readLong();
            final long randomState = input.readLong();
            final int nextPlayerId = input.readVarInt(true);
            final boolean pinned = input.readBoolean();
            final boolean locked = input.readBoolean();
            final boolean hidden = input.readBoolean();
            final boolean faulted = input.readBoolean();
            final int failedTicks = input.readVarInt(true);
            final long emptyTicks = input.readLong();
            final String[] metaKeys = kryo.readObject(input, String[].class);
            final String[] metaValues = kryo.readObject(input, String[].class);
            if (metaKeys.length != metaValues.length || metaKeys.length > RoomContext.MAX_METADATA_ENTRIES)
            {
                throw new IllegalArgumentException("room metadata of " + metaKeys.length + " entries");
            }
            final Map<String, String> createOptions = Map.copyOf(kryo.readObject(input, HashMap.class));
            final int seatCount = checkedLength(input, checkedRange(input.readVarInt(true), MAX_SEATS, "seats"), 4);
            final RoomSnapshot snapshot = new RoomSnapshot(seatCount);
            snapshot.seatCount(seatCount);
            for (int i = 0; i < seatCount; i++)
            {
                final SeatState seat = kryo.readObject(input, SeatState.class);
                snapshot.seat(i).set(seat.playerId(), seat.entityId(), seat.name(), seat.identity(), seat.options(),
                    seat.metaKeys(), seat.metaValues(), seat.metaCount());
            }
            final int gameVersion = input.readVarInt(true);
            final byte[] game = kryo.readObject(input, byte[].class);
            final long captureCrc = input.readLong();
            return snapshot
                .header(room, roomType, epoch, tick, randomState, nextPlayerId, createOptions)
                .flags(pinned, locked, hidden, faulted, failedTicks, emptyTicks)
                .metadata(metaKeys, metaValues, metaKeys.length)
                .game(gameVersion, game, game.length, captureCrc);
        }
    }

    private static final class SeatStateSerializer extends Serializer<SeatState>
    {
        SeatStateSerializer()
        {
            setImmutable(true);
        }

        public void write(final Kryo kryo, final Output output, final SeatState seat)
        {
            output.writeVarInt(seat.playerId(), true);
            output.writeInt(seat.entityId());
            writeString(output, seat.name());
            final Identity identity = seat.identity();
            output.writeBoolean(identity != null);
            if (identity != null)
            {
                writeString(output, identity.subject());
                writeString(output, identity.name());
                kryo.writeObject(output, mapOf(identity.claims()));
            }
            kryo.writeObject(output, mapOf(seat.options()));
            kryo.writeObject(output, Arrays.copyOf(seat.metaKeys(), seat.metaCount()));
            kryo.writeObject(output, Arrays.copyOf(seat.metaValues(), seat.metaCount()));
        }

        @SuppressWarnings("unchecked")
        public SeatState read(final Kryo kryo, final Input input, final Class<? extends SeatState> type)
        {
            final int playerId = input.readVarInt(true);
            final int entityId = input.readInt();
            final String name = readString(input);
            Identity identity = null;
            if (input.readBoolean())
            {
                final String subject = readString(input);
                final String identityName = readString(input);
                final Map<String, String> claims = kryo.readObject(input, HashMap.class);
                identity = new Identity(subject, identityName, claims);
            }
            final Map<String, String> options = Map.copyOf(kryo.readObject(input, HashMap.class));
            final String[] metaKeys = kryo.readObject(input, String[].class);
            final String[] metaValues = kryo.readObject(input, String[].class);
            if (metaKeys.length != metaValues.length || metaKeys.length > Player.MAX_METADATA_ENTRIES)
            {
                throw new IllegalArgumentException("player metadata of " + metaKeys.length + " entries");
            }
            return new SeatState().set(playerId, entityId, name, identity, options, metaKeys, metaValues,
                metaKeys.length);
        }
    }

    private static final class StringArraySerializer extends Serializer<String[]>
    {
        public void write(final Kryo kryo, final Output output, final String[] values)
        {
            output.writeVarInt(values.length, true);
            for (final String value : values)
            {
                writeString(output, value);
            }
        }

        public String[] read(final Kryo kryo, final Input input, final Class<? extends String[]> type)
        {
            final String[] values = new String[checkedLength(input, input.readVarInt(true), 1)];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = readString(input);
            }
            return values;
        }
    }

    private static final class ByteArraySerializer extends Serializer<byte[]>
    {
        public void write(final Kryo kryo, final Output output, final byte[] value)
        {
            output.writeVarInt(value.length, true);
            output.writeBytes(value);
        }

        public byte[] read(final Kryo kryo, final Input input, final Class<? extends byte[]> type)
        {
            return input.readBytes(checkedLength(input, input.readVarInt(true), 1));
        }
    }

    private static final class StringMapSerializer extends Serializer<HashMap<String, String>>
    {
        public void write(final Kryo kryo, final Output output, final HashMap<String, String> map)
        {
            output.writeVarInt(map.size(), true);
            for (final Map.Entry<String, String> entry : map.entrySet())
            {
                writeString(output, entry.getKey());
                writeString(output, entry.getValue());
            }
        }

        public HashMap<String, String> read(
            final Kryo kryo, final Input input, final Class<? extends HashMap<String, String>> type)
        {
            final int count = checkedLength(input, checkedRange(input.readVarInt(true), MAX_MAP_ENTRIES, "entries"), 2);
            final HashMap<String, String> map = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++)
            {
                final String key = readString(input);
                final String value = readString(input);
                if (key == null || value == null)
                {
                    throw new IllegalArgumentException("null in a map");
                }
                map.put(key, value);
            }
            return map;
        }
    }
}
