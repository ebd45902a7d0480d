package io.tickwire.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceTest
{
    @Test
    void comparesAcrossTheWrap()
    {
        assertTrue(Sequence.isNewer(2, 1));
        assertFalse(Sequence.isNewer(1, 2));
        assertFalse(Sequence.isNewer(5, 5));
        assertTrue(Sequence.isNewer(1, -1));
        assertTrue(Sequence.isNewer(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void nextSkipsNone()
    {
        assertEquals(1, Sequence.next(Sequence.NONE));
        assertEquals(1, Sequence.next(-1));
        assertEquals(Integer.MIN_VALUE, Sequence.next(Integer.MAX_VALUE));
    }
}
