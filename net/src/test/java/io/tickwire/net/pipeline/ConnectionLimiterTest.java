package io.tickwire.net.pipeline;

import io.tickwire.net.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection caps: per address and in total, places freed on release, and never more open than the cap when
 * threads race.
 */
class ConnectionLimiterTest
{
    private final InetAddress first = InetAddress.getLoopbackAddress();
    private final InetAddress second = address(10, 0, 0, 2);

    @Test
    void capsPerAddressAndInTotalAndFreesPlacesOnRelease()
    {
        final ConnectionLimiter limiter = new ConnectionLimiter(3, 2);
        assertNull(limiter.tryAcquire(first));
        assertNull(limiter.tryAcquire(first));
        assertEquals(Refusal.TOO_MANY_FROM_ADDRESS, limiter.tryAcquire(first));
        assertNull(limiter.tryAcquire(second));
        assertEquals(Refusal.TOO_MANY_CONNECTIONS, limiter.tryAcquire(second));
        assertEquals(3, limiter.open());

        limiter.release(first);
        assertNull(limiter.tryAcquire(first), "a released place is free again");
        limiter.release(first);
        limiter.release(first);
        limiter.release(second);
        assertEquals(0, limiter.open());
        assertNull(limiter.tryAcquire(first));
        assertNull(limiter.tryAcquire(first));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void racingThreadsNeverHoldMoreThanTheCap() throws Exception
    {
        final int cap = 4;
        final ConnectionLimiter limiter = new ConnectionLimiter(1000, cap);
        final AtomicInteger held = new AtomicInteger();
        final AtomicInteger overCap = new AtomicInteger();
        final int threads = 4;
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++)
        {
            pool.execute(() ->
            {
                awaitQuietly(start);
                for (int i = 0; i < 20_000; i++)
                {
                    if (limiter.tryAcquire(first) == null)
                    {
                        if (held.incrementAndGet() > cap)
                        {
                            overCap.incrementAndGet();
                        }
                        held.decrementAndGet();
                        limiter.release(first);
                    }
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(25, TimeUnit.SECONDS));
        assertEquals(0, overCap.get());
        assertEquals(0, limiter.open());
        for (int i = 0; i < cap; i++)
        {
            assertNull(limiter.tryAcquire(first), "every place came back");
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static InetAddress address(final int a, final int b, final int c, final int d)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {(byte)a, (byte)b, (byte)c, (byte)d});
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
