package io.tickwire.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientHistoryTest
{
    private static final long[] VIEW = {1L << 32, (2L << 32) | 1, (5L << 32) | 2};
    private static final long[] OTHER_VIEW = {1L << 32, (3L << 32) | 1, (5L << 32) | 2};

    private final ClientHistory a = new ClientHistory(4, 128);
    private final ClientHistory b = new ClientHistory(4, 128);

    @Test
    void viewsWithoutAStampAreComparedKeyByKey()
    {
        final int first = a.store(1, 10, VIEW, 3);
        assertTrue(a.sameView(first, b, b.store(7, 10, VIEW.clone(), 3)));
        assertFalse(a.sameView(first, b, b.store(8, 10, OTHER_VIEW, 3)));
        assertFalse(a.sameView(first, b, b.store(9, 10, VIEW, 2)), "a prefix is another view");
    }

    @Test
    void oneStampIsOneViewAndDifferentStampsFallBackToTheKeys()
    {
        final long hash = ClientHistory.hashOf(VIEW, 3);
        final int stamped = a.store(1, 10, VIEW, 3, hash, 42);
        assertEquals(hash, a.hash(stamped), "the hash given is the hash kept, and equals the one store computes");
        assertEquals(hash, b.hash(b.store(1, 10, VIEW, 3)));

        assertTrue(a.sameView(stamped, b, b.store(2, 10, VIEW, 3, hash, 42)));
        assertTrue(a.sameView(stamped, b, b.store(3, 10, VIEW, 3, hash, 43)), "another stamp, the same keys");
        assertTrue(a.sameView(stamped, b, b.store(4, 10, VIEW, 3)), "no stamp, the same keys");
        assertFalse(a.sameView(stamped, b, b.store(5, 10, OTHER_VIEW, 3, ClientHistory.hashOf(OTHER_VIEW, 3), 43)));
        assertTrue(a.sameView(stamped, b, b.store(6, 10, OTHER_VIEW, 3, hash, 42)),
            "a stamp is trusted without its keys: the caller never stores two lists of keys under one");
    }

    @Test
    void anEntryIsFoundByItsSequenceUntilItsSlotIsReused()
    {
        final int index = a.store(5, 10, VIEW, 3, ClientHistory.hashOf(VIEW, 3), 42);
        assertEquals(index, a.find(5));
        assertEquals(10, a.tick(index));
        assertEquals(3, a.count(index));
        final long[] kept = new long[3];
        System.arraycopy(a.keys(index), 0, kept, 0, 3);
        assertArrayEquals(VIEW, kept, "the keys are copied, not shared with the caller's array");

        a.store(9, 14, OTHER_VIEW, 3);
        assertEquals(-1, a.find(5), "4 entries: sequence 9 took sequence 5's slot");
        assertFalse(a.sameView(a.find(9), b, b.store(1, 10, VIEW, 3, ClientHistory.hashOf(VIEW, 3), 42)),
            "the stamp went with the entry it was stored with");
    }
}
