package io.tickwire.sim;

import io.tickwire.codec.Sequence;

import java.util.Arrays;
import java.util.List;

/**
 * The views recently sent to one client, by snapshot sequence: for each, the tick it showed and the entities in
 * it as sorted keys {@code (id << 32) | slot} into the room's {@link WorldHistory}. A delta for the client is
 * encoded against the entry of its acknowledged sequence.
 * <p>
 * Entries older than the client's acknowledged snapshot can never be a baseline again ({@link #releaseBefore}):
 * their arrays are freed at once and the next view is written into the one freed last, a few ticks old and still in
 * the cache, rather than into the array of the entry it replaces, last touched a whole history ago. So a client
 * that acknowledges promptly cycles through a few arrays, not {@code depth}.
 * <p>
 * An entry stored under the latest entry's stamp (a room's whole view, unchanged since: with interest off, for as
 * long as no entity comes or goes) shares that entry's array instead of a copy, so it costs no writes at all.
 * Arrays are only written while no other entry holds them. Views without a stamp are always copied: comparing them
 * with the latest and finding which entries hold an array cost a client's view at interest on more than the copy
 * it saved.
 * <p>
 * An entry's numbers (its sequence and count, tick, hash and stamp) are one record of {@link #RECORD_LONGS} longs in
 * one array, not one array per number: the fan-out reads and writes two entries per client each tick (the baseline
 * and the view stored), each last touched a tick ago, so a record costs a cache miss or two where five arrays cost
 * five.
 * <p>
 * Memory: at most {@code depth} arrays of 8 bytes per entity in view, each growing to the largest view sent, and
 * 32 bytes of numbers per entry. Shard thread only.
 */
final class ClientHistory
{
    /** The stamp of a view stored without one: compared key by key. */
    static final long NO_STAMP = 0;
    private static final long[] EMPTY = new long[0];
    /** Typical views (about 40 entities at the reference workload) fit the first allocation. */
    private static final int MIN_CAPACITY = 64;

    /** An entry's record: its sequence (high half) and count (low half), tick, hash and stamp. */
    private static final int RECORD_SHIFT = 2;
    private static final int RECORD_LONGS = 1 << RECORD_SHIFT;
    private static final int SEQ_COUNT = 0;
    private static final int TICK = 1;
    private static final int HASH = 2;
    private static final int STAMP = 3;

    private final int mask;
    private final int maxViewEntities;
    /** The entries' records, entry {@code i} at {@code i << RECORD_SHIFT}. */
    private final long[] records;
    private final long[][] keys;
    /** Arrays no entry holds any more, the last freed on top: the next view is written into the warmest. */
    private final long[][] spareKeys;
    private int spareCount;
    private int latest = -1;
    /** The oldest sequence whose entry may still hold an array; {@link Sequence#NONE} before the first store. */
    private int oldestKeptSeq = Sequence.NONE;
    /** Whether any entry has shared another's array: until then, every entry's array is its own. */
    private boolean sharing;

    /**
     * @param depth           entries kept, a power of two.
     * @param maxViewEntities the most entities one view may hold: entries double up to it and no further, so with
     *                        the default cap of 128 an entry allocates at most twice in its life.
     */
    ClientHistory(final int depth, final int maxViewEntities)
    {
        this.maxViewEntities = maxViewEntities;
        mask = depth - 1;
        records = new long[depth * RECORD_LONGS];
        keys = new long[depth][];
        Arrays.fill(keys, EMPTY);
        spareKeys = new long[depth][];
    }

    /**
     * @return the entry index holding snapshot {@code seq}, or -1 when it is not (or no longer) kept.
     */
    int find(final int seq)
    {
        final int index = seq & mask;
        return seq != Sequence.NONE && seqAt(index) == seq ? index : -1;
    }

    /**
     * Records the view sent as snapshot {@code seq}, with a hash of its keys.
     *
     * @return the entry index it is kept at.
     */
    int store(final int seq, final long tick, final long[] viewKeys, final int count)
    {
        return store(seq, tick, viewKeys, count, hashOf(viewKeys, count), NO_STAMP);
    }

    /**
     * Records the view sent as snapshot {@code seq}, whose hash ({@link #hashOf}) the caller computed once for the
     * many clients that see it.
     *
     * @param stamp {@link #NO_STAMP}, or a number that no other list of keys is ever stored under, in any history:
     *              two entries of the same stamp are the same view without comparing their keys, and an entry stored
     *              under the latest entry's stamp shares its keys.
     * @return the entry index it is kept at.
     */
    int store(
        final int seq, final long tick, final long[] viewKeys, final int count, final long viewHash, final long stamp)
    {
        final int index = seq & mask;
        free(index);
        if (stamp != NO_STAMP && latest >= 0 && latest != index && stamp == stamp(latest))
        {
            sharing = true;
            keys[index] = keys[latest];
        }
        else
        {
            keys[index] = writableKeys(takeSpare(), count);
            System.arraycopy(viewKeys, 0, keys[index], 0, count);
        }
        if (oldestKeptSeq == Sequence.NONE)
        {
            oldestKeptSeq = seq;
        }
        latest = index;
        final int record = index << RECORD_SHIFT;
        records[record + SEQ_COUNT] = seqCount(seq, count);
        records[record + TICK] = tick;
        records[record + HASH] = viewHash;
        records[record + STAMP] = stamp;
        return index;
    }

    /**
     * Frees the entries older than {@code ackedSeq}, the client's acknowledged snapshot: acknowledgements only move
     * forward, so none of them can be a baseline again. {@link #find} no longer finds them. A history that shares
     * arrays keeps its entries until they are overwritten: its entries mostly hold one array, so freeing them would
     * only add work.
     *
     * @param ackedSeq the acknowledged snapshot, or {@link Sequence#NONE} (nothing is freed).
     */
    void releaseBefore(final int ackedSeq)
    {
        if (sharing || ackedSeq == Sequence.NONE || oldestKeptSeq == Sequence.NONE ||
            !Sequence.isNewer(ackedSeq, oldestKeptSeq))
        {
            return;
        }
        final int oldestPossibleSeq = ackedSeq - mask - 1;
        int seq = Sequence.isNewer(oldestPossibleSeq, oldestKeptSeq) ? oldestPossibleSeq : oldestKeptSeq;
        while (Sequence.isNewer(ackedSeq, seq))
        {
            final int index = seq & mask;
            if (seq != Sequence.NONE && seqAt(index) == seq)
            {
                free(index);
            }
            seq = Sequence.next(seq);
        }
        oldestKeptSeq = ackedSeq;
    }

    /**
     * Empties the entry at {@code index}; its array becomes a spare unless another entry holds it.
     */
    private void free(final int index)
    {
        final long[] array = keys[index];
        keys[index] = EMPTY;
        final int record = index << RECORD_SHIFT;
        records[record + SEQ_COUNT] = seqCount(Sequence.NONE, 0);
        records[record + STAMP] = NO_STAMP;
        if (!(sharing && isHeld(array)))
        {
            keepSpare(array);
        }
    }

    /**
     * @return whether another entry holds {@code array}: the entries' references are a few cache lines, read rather
     * than kept as counts. The array itself is not read: it was last touched a whole history ago.
     */
    private boolean isHeld(final long[] array)
    {
        if (array == EMPTY)
        {
            return true;
        }
        for (final long[] held : keys)
        {
            if (held == array)
            {
                return true;
            }
        }
        return false;
    }

    private void keepSpare(final long[] array)
    {
        if (array != EMPTY)
        {
            spareKeys[spareCount++] = array;
        }
    }

    private long[] takeSpare()
    {
        if (spareCount == 0)
        {
            return EMPTY;
        }
        final long[] spare = spareKeys[--spareCount];
        spareKeys[spareCount] = null;
        return spare;
    }

    /**
     * @return {@code array}, or a larger one when it cannot hold {@code count} keys: arrays double up to
     * {@code maxViewEntities} (or the count, if larger).
     */
    private long[] writableKeys(final long[] array, final int count)
    {
        if (array.length >= count)
        {
            return array;
        }
        final int grown = array.length == 0 ? MIN_CAPACITY : array.length * 2;
        return new long[Math.max(count, Math.min(grown, maxViewEntities))];
    }

    /**
     * @return whether the view kept at {@code index} has the same keys as the view of {@code other} at
     * {@code otherIndex}.
     */
    boolean sameView(final int index, final ClientHistory other, final int otherIndex)
    {
        final long stamp = stamp(index);
        if (stamp != NO_STAMP && stamp == other.stamp(otherIndex))
        {
            return true;
        }
        final int count = count(index);
        return hash(index) == other.hash(otherIndex) && count == other.count(otherIndex) &&
            Arrays.equals(keys[index], 0, count, other.keys[otherIndex], 0, count);
    }

    /**
     * @return a hash of the view's keys: equal views have equal hashes.
     */
    long hash(final int index)
    {
        return number(index, HASH);
    }

    /**
     * A sum and an xor of rotated keys: no multiply chain from one key to the next, so the loop runs at the speed of
     * the loads. It only has to make unequal views unlikely to collide: an equal hash is confirmed key by key.
     */
    static long hashOf(final long[] viewKeys, final int count)
    {
        long sum = count;
        long mixed = 0;
        for (int i = 0; i < count; i++)
        {
            sum += viewKeys[i];
            mixed ^= Long.rotateLeft(viewKeys[i], i & 63);
        }
        final long hash = (sum * 0x9E37_79B9_7F4A_7C15L) ^ mixed;
        return hash ^ (hash >>> 29);
    }

    long tick(final int index)
    {
        return number(index, TICK);
    }

    int count(final int index)
    {
        return (int)number(index, SEQ_COUNT);
    }

    private int seqAt(final int index)
    {
        return (int)(number(index, SEQ_COUNT) >>> 32);
    }

    private long stamp(final int index)
    {
        return number(index, STAMP);
    }

    private long number(final int index, final int field)
    {
        return records[(index << RECORD_SHIFT) + field];
    }

    private static long seqCount(final int seq, final int count)
    {
        return ((long)seq << 32) | (count & 0xFFFF_FFFFL);
    }

    long[] keys(final int index)
    {
        return keys[index];
    }

    /**
     * @return the freed arrays kept for the next views that change, the last freed first (tests: the history's
     * arrays, held and spare, are at most its depth, and none is both).
     */
    List<long[]> spares()
    {
        return Arrays.asList(spareKeys).subList(0, spareCount);
    }
}
