package io.tickwire.sim;

import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;

/**
 * The last {@code depth} ticks of one room's entity state, for encoding deltas against any client's baseline in
 * the history window. Each entity lives in a stable slot while it exists, so a client's view is a list of
 * (id, slot) keys and the value of a field at any remembered tick is one array read:
 * {@code values(tick)[slot * fieldCount + field]}. A freed slot can be reused at once: the ticks before keep their
 * own copy of what the slot held.
 * <p>
 * Memory: {@code depth * slots * fieldCount * 4} bytes, where slots doubles from 64 to cover the most entities
 * the room has held at once. Shard thread only; allocates only when the slot count grows.
 */
final class WorldHistory
{
    private static final int NO_SLOT = -1;

    private final int fieldCount;
    private final int depth;
    private final int depthMask;
    private final long[] tickAtDepth;
    private final int[][] valuesAtDepth;
    private final Int2IntHashMap slotById = new Int2IntHashMap(NO_SLOT);
    private int[] ownerOfSlot;
    private long[] ownedSinceTick;
    private int[] seenStamp;
    private int[] freeSlots;
    private int freeCount;
    private int slotCapacity;
    private int slotsUsed;
    private int[] liveSlots;
    private int liveCount;
    private int[] rowSlots;
    private int stamp;
    private long currentTick = -1;
    private long firstTick = -1;

    /**
     * @param windowTicks how old a baseline may be, in ticks; the history keeps at least {@code windowTicks + 1}.
     */
    WorldHistory(final int fieldCount, final int windowTicks)
    {
        this.fieldCount = fieldCount;
        this.depth = Integer.highestOneBit(windowTicks) << 1;
        this.depthMask = depth - 1;
        this.tickAtDepth = new long[depth];
        Arrays.fill(tickAtDepth, -1);
        this.valuesAtDepth = new int[depth][];
        this.slotCapacity = 64;
        for (int d = 0; d < depth; d++)
        {
            valuesAtDepth[d] = new int[slotCapacity * fieldCount];
        }
        ownerOfSlot = new int[slotCapacity];
        ownedSinceTick = new long[slotCapacity];
        seenStamp = new int[slotCapacity];
        freeSlots = new int[slotCapacity];
        liveSlots = new int[slotCapacity];
        rowSlots = new int[slotCapacity];
    }

    /**
     * Records the table captured at {@code tick}, which must be later than the last tick recorded, and assigns
     * each of its rows a slot: {@link #rowSlot(int)}. Entities absent from the table give up their slots.
     */
    void record(final long tick, final EntityTable table)
    {
        final int count = table.count();
        if (count > rowSlots.length)
        {
            rowSlots = Arrays.copyOf(rowSlots, Math.max(count, rowSlots.length * 2));
        }

        stamp++;
        final int d = (int)(tick & depthMask);
        final int[] values = table.values();
        for (int row = 0; row < count; row++)
        {
            final int id = table.id(row);
            int slot = slotById.get(id);
            if (slot == NO_SLOT)
            {
                slot = allocateSlot();
                slotById.put(id, slot);
                ownerOfSlot[slot] = id;
                ownedSinceTick[slot] = tick;
            }
            seenStamp[slot] = stamp;
            rowSlots[row] = slot;
            System.arraycopy(values, row * fieldCount, valuesAtDepth[d], slot * fieldCount, fieldCount);
        }

        for (int i = 0; i < liveCount; i++)
        {
            final int slot = liveSlots[i];
            if (seenStamp[slot] != stamp)
            {
                slotById.remove(ownerOfSlot[slot]);
                freeSlots[freeCount++] = slot;
            }
        }
        if (count > liveSlots.length)
        {
            liveSlots = new int[rowSlots.length];
        }
        System.arraycopy(rowSlots, 0, liveSlots, 0, count);
        liveCount = count;
        tickAtDepth[d] = tick;
        currentTick = tick;
        if (firstTick < 0)
        {
            firstTick = tick;
        }
    }

    /**
     * @return the slot of the entity at {@code row} of the table last recorded.
     */
    int rowSlot(final int row)
    {
        return rowSlots[row];
    }

    /**
     * @return the slot of entity {@code id} at the current tick, or -1 when it does not exist.
     */
    int slotOf(final int id)
    {
        return slotById.get(id);
    }

    /**
     * @return the first tick at which {@code slot}'s current owner was recorded: the slot holds that entity's values
     * at every remembered tick from then on, and another entity's (or nothing) before.
     */
    long ownedSinceTick(final int slot)
    {
        return ownedSinceTick[slot];
    }

    /**
     * @return the oldest tick still remembered, or -1 before the first record.
     */
    long oldestTick()
    {
        return currentTick < 0 ? -1 : Math.max(firstTick, currentTick - depth + 1);
    }

    long currentTick()
    {
        return currentTick;
    }

    /**
     * @return true when {@code tick} is still remembered.
     */
    boolean contains(final long tick)
    {
        return tick >= 0 && currentTick - tick < depth && tickAtDepth[(int)(tick & depthMask)] == tick;
    }

    /**
     * @return the values at a remembered tick, slot by slot.
     */
    int[] valuesAt(final long tick)
    {
        return valuesAtDepth[(int)(tick & depthMask)];
    }

    int depth()
    {
        return depth;
    }

    /**
     * @return slots allocated so far, the high-water mark of entities held at once.
     */
    int slotsUsed()
    {
        return slotsUsed;
    }

    private int allocateSlot()
    {
        if (freeCount > 0)
        {
            return freeSlots[--freeCount];
        }
        if (slotsUsed == slotCapacity)
        {
            growSlots(slotCapacity * 2);
        }
        return slotsUsed++;
    }

    private void growSlots(final int capacity)
    {
        for (int d = 0; d < depth; d++)
        {
            valuesAtDepth[d] = Arrays.copyOf(valuesAtDepth[d], capacity * fieldCount);
        }
        ownerOfSlot = Arrays.copyOf(ownerOfSlot, capacity);
        ownedSinceTick = Arrays.copyOf(ownedSinceTick, capacity);
        seenStamp = Arrays.copyOf(seenStamp, capacity);
        freeSlots = Arrays.copyOf(freeSlots, capacity);
        slotCapacity = capacity;
    }
}
