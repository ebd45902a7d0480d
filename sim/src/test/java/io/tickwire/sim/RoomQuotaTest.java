package io.tickwire.sim;

import io.tickwire.api.GameType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomQuotaTest
{
    private static final int THREADS = 4;

    private final GameType small = RecordingGame.type("small", 2, Duration.ZERO, true, 20, new HashMap<>());
    private final GameType large = RecordingGame.type("large", 2, Duration.ZERO, true, 1000, new HashMap<>());
    private final RoomQuota quota = new RoomQuota(50, new GameCatalog(List.of(small, large)));

    @Test
    void capsRoomsInTotalAndPerTypeAndTakesBackReleasedSeats()
    {
        final GameType one = RecordingGame.type("one", 2, Duration.ZERO, true, 1, new HashMap<>());
        final RoomQuota tight = new RoomQuota(3, new GameCatalog(List.of(one, large)));
        assertTrue(tight.tryAcquire(one));
        assertFalse(tight.tryAcquire(one), "the type's cap");
        assertTrue(tight.tryAcquire(large));
        assertTrue(tight.tryAcquire(large));
        assertFalse(tight.tryAcquire(large), "the total cap");
        assertEquals(3, tight.openRooms());
        tight.release(one);
        assertTrue(tight.tryAcquire(large));
        assertFalse(tight.tryAcquire(one), "a failed type acquire gives its total seat back");
        tight.release(large);
        assertTrue(tight.tryAcquire(one));
        assertEquals(3, tight.openRooms());
    }

    @Test
    @Timeout(30)
    void concurrentAcquiresNeverExceedACapAndFillIt() throws InterruptedException
    {
        final long[] smallTaken = new long[THREADS];
        final long[] largeTaken = new long[THREADS];
        Workers.run(THREADS, worker ->
        {
            for (int i = 0; i < 200; i++)
            {
                if (quota.tryAcquire(small))
                {
                    smallTaken[worker]++;
                }
                if (quota.tryAcquire(large))
                {
                    largeTaken[worker]++;
                }
                assertTrue(quota.openRooms() <= 50);
            }
        });

        long smallTotal = 0;
        long largeTotal = 0;
        for (int t = 0; t < THREADS; t++)
        {
            smallTotal += smallTaken[t];
            largeTotal += largeTaken[t];
        }
        assertTrue(smallTotal <= 20, "small: " + smallTotal);
        assertEquals(50, smallTotal + largeTotal);
        assertEquals(50, quota.openRooms());
    }

    @Test
    @Timeout(30)
    void concurrentAcquiresAndReleasesBalance() throws InterruptedException
    {
        Workers.run(THREADS, worker ->
        {
            final GameType type = worker % 2 == 0 ? small : large;
            for (int i = 0; i < 20_000; i++)
            {
                if (quota.tryAcquire(type))
                {
                    assertTrue(quota.openRooms() <= 50);
                    quota.release(type);
                }
            }
        });
        assertEquals(0, quota.openRooms());
        for (int i = 0; i < 20; i++)
        {
            assertTrue(quota.tryAcquire(small), "every small seat was given back");
        }
        assertFalse(quota.tryAcquire(small));
    }
}
