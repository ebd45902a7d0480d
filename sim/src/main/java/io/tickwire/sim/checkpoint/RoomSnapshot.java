package io.tickwire.sim.checkpoint;

import io.tickwire.api.RoomContext;

import java.util.Arrays;
import java.util.Map;

/**
 * The platform state of a room at a checkpoint: what the server knows beside the game's own bytes. Not in it, by
 * design: the entity table and world history (re-derived by a capture right after the restore and checked against
 * {@link #captureCrc()}), client streams, unacknowledged messages, input queues and snapshot histories (re-homed
 * clients come back on new connections).
 * <p>
 * Two uses: a {@link CheckpointFrame}'s snapshot, refilled in place by the shard (references to immutable strings
 * and maps, primitives: no allocation; its game bytes live in the frame's buffer, so {@link #game()} is null), and a
 * snapshot decoded by {@link CheckpointCodec#read(byte[])}, which owns its game bytes. One writer at a time; handed
 * between threads through the sink's queue or the input ring, which publish it safely.
 */
public final class RoomSnapshot
{
    /** The layout of this class as encoded by {@link CheckpointCodec}. */
    public static final int FORMAT_VERSION = 1;

    private SeatState[] seats;
    private int seatCount;
    private String[] metaKeys = new String[RoomContext.MAX_METADATA_ENTRIES];
    private String[] metaValues = new String[RoomContext.MAX_METADATA_ENTRIES];
    private int metaCount;
    private String room;
    private String type;
    private long epoch;
    private long tick;
    private long randomState;
    private int nextPlayerId;
    private Map<String, String> createOptions = Map.of();
    private boolean pinned;
    private boolean locked;
    private boolean hidden;
    private boolean faulted;
    private int failedTicks;
    private long emptyTicks;
    private int gameVersion;
    private byte[] game;
    private int gameLength;
    private long captureCrc;

    /**
     * @param seatCapacity the seats the snapshot holds without growing: the room type's maximum of clients.
     */
    public RoomSnapshot(final int seatCapacity)
    {
        seats = new SeatState[Math.max(1, seatCapacity)];
        for (int i = 0; i < seats.length; i++)
        {
            seats[i] = new SeatState();
        }
    }

    /**
     * @param epoch         the room's ownership epoch (1 for a room created on its node; the cluster raises it at
     *                      each re-homing).
     * @param tick          the room's tick at the checkpoint: the last tick it ran.
     * @param randomState   the state of the room's {@code RoomRandom}.
     * @param nextPlayerId  the player id the room hands out next.
     * @param createOptions the options the room was created with (the ones given), by name; immutable.
     * @return this.
     */
    public RoomSnapshot header(
        final String room, final String type, final long epoch, final long tick, final long randomState,
        final int nextPlayerId, final Map<String, String> createOptions)
    {
        this.room = room;
        this.type = type;
        this.epoch = epoch;
        this.tick = tick;
        this.randomState = randomState;
        this.nextPlayerId = nextPlayerId;
        this.createOptions = createOptions;
        return this;
    }

    /**
     * @param failedTicks ticks in a row the game failed, up to the checkpoint.
     * @param emptyTicks  ticks the room has been empty, for its keep-alive.
     * @return this.
     */
    public RoomSnapshot flags(
        final boolean pinned, final boolean locked, final boolean hidden, final boolean faulted,
        final int failedTicks, final long emptyTicks)
    {
        this.pinned = pinned;
        this.locked = locked;
        this.hidden = hidden;
        this.faulted = faulted;
        this.failedTicks = failedTicks;
        this.emptyTicks = emptyTicks;
        return this;
    }

    /**
     * Copies the first {@code count} references of the room metadata, in insertion order.
     *
     * @return this.
     */
    public RoomSnapshot metadata(final String[] keys, final String[] values, final int count)
    {
        if (count > metaKeys.length)
        {
            metaKeys = Arrays.copyOf(metaKeys, count);
            metaValues = Arrays.copyOf(metaValues, count);
        }
        System.arraycopy(keys, 0, metaKeys, 0, count);
        System.arraycopy(values, 0, metaValues, 0, count);
        Arrays.fill(metaKeys, count, Math.max(count, metaCount), null);
        Arrays.fill(metaValues, count, Math.max(count, metaCount), null);
        metaCount = count;
        return this;
    }

    /**
     * Sets the number of seats and returns nothing; fill each with {@link #seat(int)}. Seats beyond the count are
     * cleared so they keep nobody alive.
     */
    public void seatCount(final int count)
    {
        if (count > seats.length)
        {
            final int old = seats.length;
            seats = Arrays.copyOf(seats, count);
            for (int i = old; i < count; i++)
            {
                seats[i] = new SeatState();
            }
        }
        for (int i = count; i < seatCount; i++)
        {
            seats[i].clear();
        }
        seatCount = count;
    }

    /**
     * @param gameVersion the game type's checkpoint version that wrote the bytes.
     * @param game        the game's bytes (from {@code Game.save}); null in a frame, whose bytes are in its buffer.
     * @param captureCrc  CRC32C of the entity table captured at {@link #tick()}.
     * @return this.
     */
    public RoomSnapshot game(final int gameVersion, final byte[] game, final int gameLength, final long captureCrc)
    {
        this.gameVersion = gameVersion;
        this.game = game;
        this.gameLength = gameLength;
        this.captureCrc = captureCrc;
        return this;
    }

    public String room()
    {
        return room;
    }

    public String type()
    {
        return type;
    }

    public long epoch()
    {
        return epoch;
    }

    public long tick()
    {
        return tick;
    }

    public long randomState()
    {
        return randomState;
    }

    public int nextPlayerId()
    {
        return nextPlayerId;
    }

    public Map<String, String> createOptions()
    {
        return createOptions;
    }

    public boolean pinned()
    {
        return pinned;
    }

    public boolean locked()
    {
        return locked;
    }

    public boolean hidden()
    {
        return hidden;
    }

    public boolean faulted()
    {
        return faulted;
    }

    public int failedTicks()
    {
        return failedTicks;
    }

    public long emptyTicks()
    {
        return emptyTicks;
    }

    public int metaCount()
    {
        return metaCount;
    }

    /**
     * @return the metadata keys; the first {@link #metaCount()} are set. Not to be changed.
     */
    public String[] metaKeys()
    {
        return metaKeys;
    }

    /**
     * @return the metadata values, parallel to {@link #metaKeys()}. Not to be changed.
     */
    public String[] metaValues()
    {
        return metaValues;
    }

    public int seatCount()
    {
        return seatCount;
    }

    /**
     * @return seat {@code index}, below {@link #seatCount()}; the snapshot's own object, filled in place.
     */
    public SeatState seat(final int index)
    {
        if (index < 0 || index >= seatCount)
        {
            throw new IndexOutOfBoundsException("seat " + index + " of " + seatCount);
        }
        return seats[index];
    }

    public int gameVersion()
    {
        return gameVersion;
    }

    /**
     * @return the game's bytes, the first {@link #gameLength()} of them; null in a frame's snapshot.
     */
    public byte[] game()
    {
        return game;
    }

    public int gameLength()
    {
        return gameLength;
    }

    public long captureCrc()
    {
        return captureCrc;
    }
}
