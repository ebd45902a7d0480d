package io.tickwire.codec;

/**
 * The checksum of a client's view: MurmurHash3 x86_32 (seed 0) over a sequence of 32-bit words, the entity id and
 * then every field value of each entity, in ascending id order. Both ends compute it after applying a snapshot;
 * a difference means the client's view is not the server's. Incremental and allocation free; not thread safe.
 * <pre>
 *   for each word k:  k *= 0xcc9e2d51; k = rotl(k, 15); k *= 0x1b873593;
 *                     h ^= k; h = rotl(h, 13); h = h * 5 + 0xe6546b64
 *   finish:           h ^= 4 * wordCount; h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13; h *= 0xc2b2ae35; h ^= h >>> 16
 * </pre>
 */
public final class ViewChecksum
{
    private int hash;
    private int wordCount;

    public ViewChecksum reset()
    {
        hash = 0;
        wordCount = 0;
        return this;
    }

    public void add(final int word)
    {
        hash = mix(hash, word);
        wordCount++;
    }

    /**
     * Adds one entity: its id, then {@code fieldCount} values from {@code values} starting at {@code offset}.
     */
    public void addEntity(final int id, final int[] values, final int offset, final int fieldCount)
    {
        int h = mix(hash, id);
        for (int i = 0; i < fieldCount; i++)
        {
            h = mix(h, values[offset + i]);
        }
        hash = h;
        wordCount += fieldCount + 1;
    }

    private static int mix(final int h, final int word)
    {
        int k = word * 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        return Integer.rotateLeft(h ^ k, 13) * 5 + 0xe6546b64;
    }

    /**
     * @return the checksum of the words added since the last reset.
     */
    public int value()
    {
        int h = hash ^ (wordCount << 2);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
