package io.tickwire.sim;

import io.tickwire.codec.Sequence;

import java.util.Arrays;

/**
 * The views recently sent to one client, by snapshot sequence: for each, the tick it showed and the entities in
 * it as sorted keys {@code (id << 32) | slot} into the room's {@link WorldHistory}. A delta for the client is
 * encoded against the entry of its acknowledged sequence.
 * <p>
 * Memory: {@code depth} entries of 8 bytes per entity in view, each growing to the largest view sent. Shard
 * thread only.
 */
final class ClientHistory
{
    /** The stamp of a view stored without one: compared key by key. */
    static final long NO_STAMP = 0;
    private static final long[] EMPTY = new long[0];
    /** Typical views (about 40 entities at the reference workload) fit the first allocation. */
    private static final int MIN_CAPACITY = 64;

    private final int mask;
    private final int maxViewEntities;
    private final int[] seqs;
    private final long[] ticks;
    private final int[] counts;
    private final long[] hashes;
    private final long[] stamps;
    private final long[][] keys;

    /**
     * @param depth           entries kept, a power of two.
     * @param maxViewEntities the most entities one view may hold: entries double up to it and no further, so with
     *                        the default cap of 128 an entry allocates at most twice in its life.
     */
    ClientHistory(final int depth, final int maxViewEntities)
    {
        this.maxViewEntities = maxViewEntities;
        mask = depth - 1;
        seqs = new int[depth];
        ticks = new long[depth];
        counts = new int[depth];
        hashes = new long[depth];
        stamps = new long[depth];
        keys = new long[depth][];
        Arrays.fill(keys, EMPTY);
    }

    /**
     * @return the entry index holding snapshot {@code seq}, or -1 when it is not (or no longer) kept.
     */
    int find(final int seq)
    {
        final int index = seq & mask;
        return seq != Sequence.NONE && seqs[index] == seq ? index : -1;
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
     *              two entries of the same stamp are the same view without comparing their keys.
     * @return the entry index it is kept at.
     */
    int store(
        final int seq, final long tick, final long[] viewKeys, final int count, final long viewHash, final long stamp)
    {
        final int index = seq & mask;
        if (keys[index].length < count)
        {
            final int grown = keys[index].length == 0 ? MIN_CAPACITY : keys[index].length * 2;
            keys[index] = new long[Math.max(count, Math.min(grown, maxViewEntities))];
        }
        System.arraycopy(viewKeys, 0, keys[index], 0, count);
        seqs[index] = seq;
        ticks[index] = tick;
        counts[index] = count;
        hashes[index] = viewHash;
        stamps[index] = stamp;
        return index;
    }

    /**
     * @return whether the view kept at {@code index} has the same keys as the view of {@code other} at
     * {@code otherIndex}.
     */
    boolean sameView(final int index, final ClientHistory other, final int otherIndex)
    {
        if (stamps[index] != NO_STAMP && stamps[index] == other.stamps[otherIndex])
        {
            return true;
        }
        final int count = counts[index];
        return hashes[index] == other.hashes[otherIndex] && count == other.counts[otherIndex] &&
            Arrays.equals(keys[index], 0, count, other.keys[otherIndex], 0, count);
    }

    /**
     * @return a hash of the view's keys: equal views have equal hashes.
     */
    long hash(final int index)
    {
        return hashes[index];
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
        return ticks[index];
    }

    int count(final int index)
    {
        return counts[index];
    }

    long[] keys(final int index)
    {
        return keys[index];
    }
}
