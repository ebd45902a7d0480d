package io.tickwire.sim;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Threads for a threaded test: started together by {@link #release()}, each recording what it throws (an assertion
 * included) instead of dying silently, joined with a deadline; the test asserts on its own thread.
 */
final class Workers
{
    /**
     * What one worker does; {@code worker} is its index.
     */
    interface Body
    {
        void run(int worker) throws Exception;
    }

    private final CountDownLatch start = new CountDownLatch(1);
    private final Thread[] threads;
    private final Throwable[] failures;

    Workers(final int count, final Body body)
    {
        threads = new Thread[count];
        failures = new Throwable[count];
        for (int i = 0; i < count; i++)
        {
            final int worker = i;
            threads[i] = new Thread(() ->
            {
                try
                {
                    start.await();
                    body.run(worker);
                }
                catch (final Throwable ex)
                {
                    failures[worker] = ex;
                }
            }, "worker-" + i);
            threads[i].start();
        }
    }

    /**
     * Runs {@code count} workers together and waits for them: see {@link #awaitAll()}.
     */
    static void run(final int count, final Body body) throws InterruptedException
    {
        final Workers workers = new Workers(count, body);
        workers.release();
        workers.awaitAll();
    }

    void release()
    {
        start.countDown();
    }

    boolean anyAlive()
    {
        for (final Thread thread : threads)
        {
            if (thread.isAlive())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Joins every worker within 20 seconds, then asserts each finished and threw nothing.
     */
    void awaitAll() throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < threads.length; i++)
        {
            threads[i].join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
            assertFalse(threads[i].isAlive(), "worker " + i + " finished");
            assertNull(failures[i], "worker " + i);
        }
    }
}
