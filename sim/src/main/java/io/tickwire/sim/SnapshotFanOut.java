package io.tickwire.sim;

import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.codec.ViewChecksum;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.sim.journal.RoomJournal;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Builds and offers each client of a room its snapshot for this tick: the entities it can see (interest
 * management), encoded as a delta against the snapshot it acknowledged when that is still in the history window,
 * or whole otherwise. A client whose link is not writable is skipped (conflated): its next snapshot is a delta
 * against its acknowledged baseline, so nothing queues for a slow client.
 * <pre>
 *   per client:  view   = own avatar + entities within the view radius of it (leave radius for those already in
 *                         view: hysteresis), nearest first up to the cap; everything when interest is off
 *                baseline = history[ack] if kept and at most windowTicks old, else none (full snapshot)
 *                merge-walk baseline and view by id: enter / update (changed fields only) / remove
 * </pre>
 * Shard thread only; allocates nothing once its arrays have grown to the largest room and view.
 */
final class SnapshotFanOut
{
    private final ShardConfig config;
    private final SnapshotEncoder encoder;
    private final int fieldCount;
    private final int xField;
    private final int yField;
    private final long enterRadius;
    private final long leaveRadius;
    private long[] viewKeys = new long[64];
    private long[] nearest = new long[64];
    private int[] candidateRows = new int[64];
    private long[] candidateDistances = new long[64];
    private int[] markBySlot = new int[64];
    private int[] journalPlayerIds;
    private int[] journalViewChecksums;
    private int markStamp;

    SnapshotFanOut(final ShardConfig config, final EntitySchema schema)
    {
        this.config = config;
        this.encoder = new SnapshotEncoder(schema);
        this.fieldCount = schema.fieldCount();
        this.xField = schema.positionXField();
        this.yField = schema.positionYField();
        final int stepsPerUnit = schema.hasPosition() ? schema.field(xField).stepsPerUnit() : 1;
        this.enterRadius = (long)Math.ceil(config.viewRadius() * stepsPerUnit);
        this.leaveRadius = (long)Math.ceil((config.viewRadius() + config.viewHysteresis()) * stepsPerUnit);
    }

    /**
     * @return true when clients see only what is near them: a view radius is set and the schema has positions.
     */
    boolean interestEnabled()
    {
        return enterRadius > 0 && xField >= 0;
    }

    /**
     * @return the cell size the room's interest grid should use, in position steps.
     */
    int gridCellSize()
    {
        return (int)Math.max(1, enterRadius);
    }

    /**
     * @return the buffer size a snapshot of this room may need: every entity entering and every baseline entity
     * leaving.
     */
    static int maxFrameLength(final EntitySchema schema, final int maxEntities)
    {
        return SnapshotEncoder.maxLength(schema, 2 * maxEntities);
    }

    /**
     * Encodes and offers each client's snapshot of the tick just recorded.
     *
     * @param frameBuffer scratch space of at least {@link #maxFrameLength} bytes; the link copies what it keeps.
     */
    void send(final Room room, final UnsafeBuffer frameBuffer, final ShardCounters counters)
    {
        final EntityTable entities = room.entities();
        final WorldHistory world = room.world();
        final long tick = world.currentTick();
        final int entityCount = entities.count();
        ensureCapacity(entityCount, world.slotsUsed());

        final boolean interest = interestEnabled();
        final RoomJournal journal = room.journal();
        int journaledCount = 0;
        long conflated = 0;
        long fullCount = 0;
        long fullBytes = 0;
        long deltaCount = 0;
        long deltaBytes = 0;
        for (int i = 0, n = room.clientCount(); i < n; i++)
        {
            final RoomClient client = room.client(i);
            final ClientLink link = client.link;
            if (!client.isJoined() || client.isDetached())
            {
                continue;
            }
            if (!link.isWritable())
            {
                conflated++;
                continue;
            }

            final int viewCount = interest ? nearView(room, client) : wholeView(entities, world);
            final ClientHistory history = client.history;
            int baseline = history.find(client.ackedSnapshotSeq());
            if (baseline >= 0 && (tick - history.tick(baseline) > config.historyWindowTicks() ||
                !world.contains(history.tick(baseline))))
            {
                baseline = -1;
            }

            final int seq = client.nextSnapshotSeq();
            encoder.begin(frameBuffer, 0, (int)tick, seq,
                baseline >= 0 ? client.ackedSnapshotSeq() : Sequence.NONE,
                baseline >= 0 ? (int)history.tick(baseline) : 0,
                client.lastAppliedInputSeq(), config.checksums(), client.messageAckFor(seq));
            if (baseline >= 0)
            {
                encodeDelta(world, tick, history, baseline, viewCount);
            }
            else
            {
                encodeFull(world.valuesAt(tick), viewCount);
            }
            final int length = encoder.finish();
            history.store(seq, tick, viewKeys, viewCount);
            if (journal != null)
            {
                journaledCount = journalView(room, journaledCount, client.id(), encoder.viewChecksum());
                if (journal.wantsViews())
                {
                    journal.onView(tick, client.id(), viewKeys, viewCount);
                }
            }

            if (!link.offerSnapshot(frameBuffer, 0, length))
            {
                conflated++;
            }
            if (baseline >= 0)
            {
                deltaCount++;
                deltaBytes += length;
            }
            else
            {
                fullCount++;
                fullBytes += length;
            }
        }

        if (journaledCount > 0)
        {
            journal.onFanOut(tick, journaledCount, journalPlayerIds, journalViewChecksums);
        }
        counters.snapshotsConflated.addAndGet(conflated);
        counters.snapshotsSent.addAndGet(fullCount + deltaCount);
        counters.snapshotBytes.addAndGet(fullBytes + deltaBytes);
        counters.fullSnapshots.addAndGet(fullCount);
        counters.fullSnapshotBytes.addAndGet(fullBytes);
        counters.deltaSnapshots.addAndGet(deltaCount);
        counters.deltaSnapshotBytes.addAndGet(deltaBytes);
    }

    /**
     * Notes a view built for the journal's FANOUT record; the arrays are made at the first journaled fan-out.
     *
     * @return the number of views noted.
     */
    private int journalView(final Room room, final int index, final int playerId, final int viewChecksum)
    {
        if (journalPlayerIds == null)
        {
            journalPlayerIds = new int[room.type().maxClients()];
            journalViewChecksums = new int[room.type().maxClients()];
        }
        journalPlayerIds[index] = playerId;
        journalViewChecksums[index] = viewChecksum;
        return index + 1;
    }

    /**
     * Offline replay ({@link RoomReplayer}): builds the client's view of the tick just recorded as {@link #send}
     * does, keeps it in the client's history as the snapshot sent (the next view's hysteresis depends on it), and
     * encodes nothing.
     *
     * @return the {@link ViewChecksum} of the view, as the snapshot's encoder computes it.
     */
    int replayView(final Room room, final RoomClient client, final ViewChecksum checksum)
    {
        final EntityTable entities = room.entities();
        final WorldHistory world = room.world();
        final long tick = world.currentTick();
        ensureCapacity(entities.count(), world.slotsUsed());
        final int viewCount = interestEnabled() ? nearView(room, client) : wholeView(entities, world);
        client.history.store(client.nextSnapshotSeq(), tick, viewKeys, viewCount);
        final int[] values = world.valuesAt(tick);
        checksum.reset();
        for (int i = 0; i < viewCount; i++)
        {
            checksum.addEntity(keyId(viewKeys[i]), values, keySlot(viewKeys[i]) * fieldCount, fieldCount);
        }
        return checksum.value();
    }

    private void encodeFull(final int[] values, final int viewCount)
    {
        for (int i = 0; i < viewCount; i++)
        {
            final long key = viewKeys[i];
            encoder.enter(keyId(key), values, keySlot(key) * fieldCount);
        }
    }

    private void encodeDelta(
        final WorldHistory world, final long tick, final ClientHistory history, final int baseline, final int viewCount)
    {
        final int[] values = world.valuesAt(tick);
        final int[] baseValues = world.valuesAt(history.tick(baseline));
        final long[] baseKeys = history.keys(baseline);
        final int baseCount = history.count(baseline);
        int b = 0;
        int v = 0;
        while (b < baseCount || v < viewCount)
        {
            if (v == viewCount || (b < baseCount && keyId(baseKeys[b]) < keyId(viewKeys[v])))
            {
                encoder.remove(keyId(baseKeys[b++]));
            }
            else if (b == baseCount || keyId(viewKeys[v]) < keyId(baseKeys[b]))
            {
                encoder.enter(keyId(viewKeys[v]), values, keySlot(viewKeys[v++]) * fieldCount);
            }
            else
            {
                encoder.update(keyId(viewKeys[v]), values, keySlot(viewKeys[v++]) * fieldCount,
                    baseValues, keySlot(baseKeys[b++]) * fieldCount);
            }
        }
    }

    /**
     * Every entity of the room, in id order.
     */
    private int wholeView(final EntityTable entities, final WorldHistory world)
    {
        final int count = entities.count();
        for (int row = 0; row < count; row++)
        {
            viewKeys[row] = key(entities.id(row), world.rowSlot(row));
        }
        return count;
    }

    /**
     * The client's own avatar and the entities near it, with hysteresis and the cap, in id order.
     */
    private int nearView(final Room room, final RoomClient client)
    {
        final EntityTable entities = room.entities();
        final WorldHistory world = room.world();
        final int ownRow = room.rowOf(client.entityId());
        if (ownRow < 0)
        {
            return 0;
        }

        markPreviousView(client, world);
        final int x = entities.value(ownRow, xField);
        final int y = entities.value(ownRow, yField);
        final int found = room.grid().query(x, y, leaveRadius, candidateRows, candidateDistances);
        final long enterSquared = enterRadius * enterRadius;
        int kept = 0;
        for (int i = 0; i < found; i++)
        {
            final int row = candidateRows[i];
            final long distanceSquared = candidateDistances[i];
            if (row == ownRow)
            {
                nearest[kept++] = row;
            }
            else if (distanceSquared <= enterSquared || markBySlot[world.rowSlot(row)] == markStamp)
            {
                nearest[kept++] = ((distanceSquared + 1) << 16) | row;
            }
        }

        final int cap = config.maxEntitiesPerSnapshot();
        if (kept > cap)
        {
            LongSort.sort(nearest, 0, kept);
            kept = cap;
        }
        for (int i = 0; i < kept; i++)
        {
            final int row = (int)(nearest[i] & 0xFFFF);
            viewKeys[i] = key(entities.id(row), world.rowSlot(row));
        }
        LongSort.sort(viewKeys, 0, kept);
        return kept;
    }

    /**
     * Marks the slots of the entities in the last view sent to the client that still hold those entities.
     */
    private void markPreviousView(final RoomClient client, final WorldHistory world)
    {
        markStamp++;
        final int last = client.history.find(client.lastSnapshotSeq());
        if (last < 0)
        {
            return;
        }
        final long[] keys = client.history.keys(last);
        for (int i = 0, n = client.history.count(last); i < n; i++)
        {
            final int slot = keySlot(keys[i]);
            if (world.slotOf(keyId(keys[i])) == slot)
            {
                markBySlot[slot] = markStamp;
            }
        }
    }

    private void ensureCapacity(final int entityCount, final int slots)
    {
        if (viewKeys.length < entityCount)
        {
            final int capacity = Math.max(entityCount, viewKeys.length * 2);
            viewKeys = new long[capacity];
            nearest = new long[capacity];
            candidateRows = new int[capacity];
            candidateDistances = new long[capacity];
        }
        if (markBySlot.length < slots)
        {
            markBySlot = Arrays.copyOf(markBySlot, Math.max(slots, markBySlot.length * 2));
        }
    }

    private static long key(final int id, final int slot)
    {
        return ((long)id << 32) | slot;
    }

    private static int keyId(final long key)
    {
        return (int)(key >>> 32);
    }

    private static int keySlot(final long key)
    {
        return (int)key;
    }
}
