package io.tickwire.net;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.tickwire.io.PacedIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An event loop paced to ticks: it never lets its transport block, sleeps parked until a task, a shard's read pass
 * or its longest sleep, answers a shard's gather with a read pass, drains what is ready in bounded rounds, and never
 * holds a shard longer than the gather bound.
 */
class PacedIoHandlerTest
{
    private static final long LONG_SLEEP_NS = TimeUnit.HOURS.toNanos(1);
    private static final long GATHER_BOUND_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ScriptedTransport transport = new ScriptedTransport();
    private final TickPacer pacer = new TickPacer(1, LONG_SLEEP_NS, GATHER_BOUND_NS);
    private final PacedIoHandler handler = (PacedIoHandler)pacer.wrap(executor -> transport).newHandler(null);
    private final LoopContext context = new LoopContext();
    private volatile boolean stopLoop;
    private Thread loop;

    @AfterEach
    void stopTheLoop() throws InterruptedException
    {
        stopLoop = true;
        if (loop != null)
        {
            handler.wakeup();
            loop.join(TimeUnit.SECONDS.toMillis(5));
            assertFalse(loop.isAlive());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void readyEventsAreHandledInRoundsUntilNoneAreLeftAndTheTransportIsNeverAskedToBlock()
    {
        handler.initialize();
        transport.ready.addAll(List.of(5, 3, 0));
        context.canBlock = false;

        assertEquals(8, handler.run(context));
        assertEquals(3, transport.runs.get());
        assertEquals(0, transport.blockingRuns.get());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void theRoundsOfOneRunAreBounded()
    {
        handler.initialize();
        transport.alwaysReady = 1;
        context.canBlock = false;

        assertEquals(16, handler.run(context));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aLoopWithNothingToDoSleepsParkedUntilATaskWakesIt()
    {
        startLoop();
        awaitParked();
        final int runsWhileAsleep = transport.runs.get();

        handler.wakeup();

        await().atMost(Duration.ofSeconds(5)).until(() -> transport.runs.get() > runsWhileAsleep);
        awaitParked();
        assertEquals(0, transport.blockingRuns.get());
        assertEquals(0, transport.wakeups.get(), "a transport that never blocks is never woken");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aShardsGatherWakesTheLoopForAReadPassAndReturnsOnceItIsDone()
    {
        startLoop();
        awaitParked();
        transport.ready.add(7);

        pacer.gather(0);

        assertEquals(0, transport.ready.size(), "the loop read what was ready before the shard went on");
        assertEquals(1, handler.completedPass());
        assertEquals(0, pacer.gatherTimeouts());
        assertTrue(pacer.loopWakeups() >= 1);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aGatherDoesNotWaitForALoopWhoseThreadHasNotStarted()
    {
        pacer.gather(0);

        assertEquals(0, pacer.gatherTimeouts());
        assertEquals(0, transport.runs.get());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aGatherGivesUpOnABusyLoopAfterItsBoundAndCountsIt() throws InterruptedException
    {
        final CountDownLatch busy = new CountDownLatch(1);
        loop = new Thread(() ->
        {
            handler.initialize();
            awaitUninterruptibly(busy);
        }, "busy-loop");
        loop.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.getState() == Thread.State.WAITING);

        final long startNs = System.nanoTime();
        pacer.gather(0);

        assertTrue(System.nanoTime() - startNs >= GATHER_BOUND_NS);
        assertEquals(1, pacer.gatherTimeouts());
        busy.countDown();
        loop.join(TimeUnit.SECONDS.toMillis(5));
        loop = null;
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aLoopShuttingDownAnswersNoMorePasses()
    {
        handler.initialize();
        handler.prepareToDestroy();

        pacer.gather(0);

        assertEquals(0, pacer.gatherTimeouts());
        assertEquals(1, transport.prepared.get());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aPassRunsTheLoopsOwnReadsBeforeTheTransportAndOnlyOncePerPass()
    {
        final List<String> order = new CopyOnWriteArrayList<>();
        final ScriptedTransport recorded = new ScriptedTransport()
        {
            public int run(final IoHandlerContext context)
            {
                order.add("transport");
                return super.run(context);
            }
        };
        final PacedIoHandler paced = new PacedIoHandler(
            recorded, PacedIoHandler.PassListener.NONE, nowNs -> order.add("reads"), LONG_SLEEP_NS, LONG_SLEEP_NS);
        paced.initialize();
        context.canBlock = false;
        paced.run(context);
        order.clear();

        final long pass = paced.requestPass();
        paced.run(context);
        paced.run(context);

        assertEquals(List.of("reads", "transport", "transport"), order, "reads once, at the pass, first");
        assertEquals(pass, paced.completedPass());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void theLoopsOwnReadsRunWithoutAPassOnceTheLongestSleepWentByAndAreClosedWithTheLoop()
    {
        final long maxParkNs = TimeUnit.MILLISECONDS.toNanos(20);
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();
        final PacedIoHandler paced = new PacedIoHandler(transport, PacedIoHandler.PassListener.NONE,
            new PacedIoHandler.PassReads()
            {
                public void read(final long nowNs)
                {
                    reads.incrementAndGet();
                }

                public void close()
                {
                    closes.incrementAndGet();
                }
            }, maxParkNs, maxParkNs);
        final long startNs = System.nanoTime();
        paced.initialize();
        context.canBlock = false;
        paced.run(context);
        assertEquals(0, reads.get(), "not at once");

        await().atMost(Duration.ofSeconds(5)).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() ->
        {
            paced.run(context);
            return reads.get() > 0;
        });

        assertTrue(System.nanoTime() - startNs >= maxParkNs, "not before the longest sleep went by");
        assertEquals(1, reads.get());
        paced.destroy();
        assertEquals(1, closes.get());
    }

    /**
     * Between passes, the loop sleeps no longer than until its reads are due to run ahead (its longest sleep and its
     * context would let it sleep longer), and runs them then.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void theLoopsOwnReadsRunAheadOfTheNextPass()
    {
        final long periodNs = TimeUnit.MILLISECONDS.toNanos(200);
        final long maxParkNs = TimeUnit.SECONDS.toNanos(5);
        final AtomicInteger reads = new AtomicInteger();
        final PacedIoHandler paced = new PacedIoHandler(
            transport, PacedIoHandler.PassListener.NONE, nowNs -> reads.incrementAndGet(), periodNs, maxParkNs);
        paced.initialize();
        context.canBlock = false;
        paced.requestPass();
        final long passNs = System.nanoTime();
        paced.run(context);
        paced.run(context);
        assertEquals(1, reads.get(), "at the pass, and not again at once");

        context.canBlock = true;
        paced.run(context);

        final long sleptNs = System.nanoTime() - passNs;
        assertTrue(sleptNs >= periodNs, "not before time");
        assertTrue(sleptNs < maxParkNs, "woke for the reads, not at its longest sleep: " + sleptNs + " ns");
        assertEquals(2, reads.get(), "woke to read ahead");
        assertEquals(1, paced.wakeups());
    }

    private void startLoop()
    {
        context.canBlock = true;
        loop = new Thread(() ->
        {
            handler.initialize();
            while (!stopLoop)
            {
                handler.run(context);
            }
        }, "paced-loop");
        loop.start();
    }

    private void awaitParked()
    {
        await().atMost(Duration.ofSeconds(5)).until(() ->
            loop.getState() == Thread.State.TIMED_WAITING && LockSupport.getBlocker(loop) == handler);
        assertSame(handler, LockSupport.getBlocker(loop));
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
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

    /**
     * A transport that hands out scripted counts of ready events and records whether it was ever allowed to block.
     */
    private static class ScriptedTransport implements IoHandler
    {
        final BlockingQueue<Integer> ready = new ArrayBlockingQueue<>(16);
        final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger blockingRuns = new AtomicInteger();
        final AtomicInteger prepared = new AtomicInteger();
        final AtomicInteger wakeups = new AtomicInteger();
        volatile int alwaysReady;

        public int run(final IoHandlerContext context)
        {
            runs.incrementAndGet();
            if (context.canBlock())
            {
                blockingRuns.incrementAndGet();
            }
            final Integer next = ready.poll();
            return next != null ? next : alwaysReady;
        }

        public void prepareToDestroy()
        {
            prepared.incrementAndGet();
        }

        public IoRegistration register(final IoHandle handle)
        {
            throw new UnsupportedOperationException();
        }

        public void wakeup()
        {
            wakeups.incrementAndGet();
        }

        public boolean isCompatible(final Class<? extends IoHandle> handleType)
        {
            return false;
        }
    }

    /**
     * The event loop's context: whether it has tasks (it may block when it has none), and no scheduled task.
     */
    private static final class LoopContext implements IoHandlerContext
    {
        volatile boolean canBlock;

        public boolean canBlock()
        {
            return canBlock;
        }

        public long delayNanos(final long currentTimeNanos)
        {
            return LONG_SLEEP_NS;
        }

        public long deadlineNanos()
        {
            return -1;
        }
    }
}
