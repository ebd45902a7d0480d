package io.tickwire.io;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An event loop's I/O paced to a period: wraps the transport's own {@link IoHandler} (epoll, io_uring or NIO) and
 * never lets it block. Where the transport would sleep in {@code epoll_wait} and wake for every socket that turns
 * readable, this handler parks the loop's thread until there is work that cannot wait:
 * <ul>
 *   <li>a task handed to the loop: snapshots to write, a channel registration, a close ({@link #wakeup()});</li>
 *   <li>a read pass another thread asks for ({@link #requestPass()}): the server's shards ask one when their tick is
 *       due, the loop has its {@link PassReads} read the sockets it reads itself, reads every other ready socket,
 *       publishing the inputs to the rings, and tells its {@link PassListener};</li>
 *   <li>the time to read ahead: its {@link PassReads} run at every read pass and at least every
 *       {@code passReadsPeriodNs}, so a pass finds less to read;</li>
 *   <li>a scheduled task's deadline (handshake deadlines, idle timeouts, the swarm's cycle), or {@code maxParkNs} at
 *       the latest.</li>
 * </ul>
 * Then it has the transport handle everything ready without blocking, until a round finds nothing (at most
 * {@value #MAX_ROUNDS} rounds). A loop thus wakes a few times a period however many connections it serves, instead
 * of once per arriving message.
 * <ul>
 *   <li>The server paces to the tick ({@code --io-pacing tick}, {@code TickPacer}): inputs are applied at the tick
 *       anyway, and the pass before each tick keeps their latency. HTTP requests and handshakes wait for the next
 *       pass: at most one tick period per round trip.</li>
 *   <li>The bot swarm paces to its 1 ms cycle, with no passes: a message is read at most a cycle (plus the kernel's
 *       timer slack) after it arrived, which is the bound this adds to what the bots measure.</li>
 * </ul>
 * Run by the event loop's thread; {@link #wakeup()} and {@link #requestPass()} from any thread.
 */
public final class PacedIoHandler implements IoHandler
{
    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final int MAX_ROUNDS = 16;

    private final IoHandler transport;
    private final PassListener passListener;
    private final PassReads passReads;
    private final long passReadsPeriodNs;
    private final long maxParkNs;
    private final NonBlockingContext nonBlocking = new NonBlockingContext();
    private final AtomicInteger state = new AtomicInteger(AWAKE);
    private final AtomicLong passRequested = new AtomicLong();
    private final AtomicLong wakeups = new AtomicLong();
    private volatile long passCompleted;
    private long nextPassReadsNs;
    private volatile Thread thread;
    private volatile boolean stopping;

    /**
     * @param transport    the transport's handler, which this one runs without ever letting it block.
     * @param passListener told when a read pass is done.
     * @param passReads         the reads done at each read pass, and ahead of the next.
     * @param passReadsPeriodNs the longest {@code passReads} wait between two runs, pass or not, in nanoseconds.
     * @param maxParkNs    the longest the loop sleeps with nothing to do, in nanoseconds.
     */
    public PacedIoHandler(
        final IoHandler transport, final PassListener passListener, final PassReads passReads,
        final long passReadsPeriodNs, final long maxParkNs)
    {
        this.transport = transport;
        this.passListener = passListener;
        this.passReads = passReads;
        this.passReadsPeriodNs = passReadsPeriodNs;
        this.maxParkNs = maxParkNs;
    }

    /**
     * @return a factory of handlers pacing those of {@code transport} to {@code maxParkNs}, for loops no one asks
     * for read passes.
     */
    public static IoHandlerFactory factory(final IoHandlerFactory transport, final long maxParkNs)
    {
        return executor -> new PacedIoHandler(
            transport.newHandler(executor), PassListener.NONE, PassReads.NONE, maxParkNs, maxParkNs);
    }

    public void initialize()
    {
        nextPassReadsNs = System.nanoTime() + passReadsPeriodNs;
        thread = Thread.currentThread();
        transport.initialize();
    }

    public int run(final IoHandlerContext context)
    {
        if (passRequested.get() == passCompleted && context.canBlock())
        {
            sleep(context);
        }

        final long pass = passRequested.get();
        final long nowNs = System.nanoTime();
        if (pass != passCompleted || nowNs - nextPassReadsNs >= 0)
        {
            nextPassReadsNs = nowNs + passReadsPeriodNs;
            passReads.read(nowNs);
        }
        nonBlocking.context = context;
        int handled = 0;
        for (int round = 0; round < MAX_ROUNDS; round++)
        {
            final int ready = transport.run(nonBlocking);
            handled += ready;
            if (ready == 0)
            {
                break;
            }
        }
        if (pass != passCompleted)
        {
            passCompleted = pass;
            passListener.onPassCompleted();
        }
        return handled;
    }

    /**
     * Parks until a task, a read pass, the time to read ahead, the next scheduled task or {@code maxParkNs}.
     * Publishing {@link #PARKED} before checking for tasks and passes again means a {@link #wakeup()} racing the
     * decision to sleep is never lost: it either sees PARKED and unparks, or its task or pass is seen here.
     */
    private void sleep(final IoHandlerContext context)
    {
        long nowNs = System.nanoTime();
        final long readsInNs = passReads == PassReads.NONE ? maxParkNs : nextPassReadsNs - nowNs;
        final long wakeAtNs = nowNs + Math.min(Math.min(maxParkNs, readsInNs), context.delayNanos(nowNs));
        state.set(PARKED);
        while (state.get() == PARKED && passRequested.get() == passCompleted && context.canBlock())
        {
            final long remainingNs = wakeAtNs - nowNs;
            if (remainingNs <= 0)
            {
                break;
            }
            LockSupport.parkNanos(this, remainingNs);
            nowNs = System.nanoTime();
        }
        state.set(AWAKE);
        wakeups.lazySet(wakeups.get() + 1);
    }

    /**
     * Any thread: a task was added. Unparks the loop if it sleeps; otherwise costs one volatile read.
     */
    public void wakeup()
    {
        if (state.get() == PARKED && state.getAndSet(AWAKE) == PARKED)
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Any thread: asks for a read pass and wakes the loop for it. A loop whose thread has not started yet (Netty
     * starts it at its first task: it has no channel) or that is shutting down has nothing to read for a tick.
     *
     * @return the pass asked for: it is done once {@link #completedPass()} reaches it; {@link Long#MIN_VALUE}, done
     * already, for a loop not serving.
     */
    public long requestPass()
    {
        if (thread == null || stopping)
        {
            return Long.MIN_VALUE;
        }
        final long pass = passRequested.incrementAndGet();
        wakeup();
        return pass;
    }

    /**
     * @return the latest pass done. Any thread.
     */
    public long completedPass()
    {
        return passCompleted;
    }

    /**
     * @return times the loop woke from sleeping, since start. Any thread.
     */
    public long wakeups()
    {
        return wakeups.get();
    }

    public void prepareToDestroy()
    {
        stopping = true;
        transport.prepareToDestroy();
    }

    public void destroy()
    {
        try
        {
            passReads.close();
        }
        finally
        {
            transport.destroy();
        }
    }

    public IoRegistration register(final IoHandle handle) throws Exception
    {
        return transport.register(handle);
    }

    public boolean isCompatible(final Class<? extends IoHandle> handleType)
    {
        return transport.isCompatible(handleType);
    }

    /**
     * The loop's context, saying it cannot block: the transport then polls (epoll_wait with no timeout, io_uring
     * without waiting) and handles what is ready.
     */
    private static final class NonBlockingContext implements IoHandlerContext
    {
        private IoHandlerContext context;

        public boolean canBlock()
        {
            return false;
        }

        public long delayNanos(final long currentTimeNanos)
        {
            return context.delayNanos(currentTimeNanos);
        }

        public long deadlineNanos()
        {
            return context.deadlineNanos();
        }

        public void reportActiveIoTime(final long activeNanos)
        {
            context.reportActiveIoTime(activeNanos);
        }

        public boolean shouldReportActiveIoTime()
        {
            return context.shouldReportActiveIoTime();
        }
    }

    /**
     * Reads that a loop does itself, outside its transport, at each read pass: inputs read there are in the tick
     * that asked for the pass. Also run when nothing ran them for {@code passReadsPeriodNs}: between ticks, so the
     * next pass has only what arrived since to read, and while no tick asks for passes, so what they read (a close, a
     * ping) is read then too. On the loop's thread.
     */
    public interface PassReads
    {
        /** For loops that read only through their transport. */
        PassReads NONE = nowNs ->
        {
        };

        /**
         * @param nowNs the loop's {@link System#nanoTime()} at the start of the pass.
         */
        void read(long nowNs);

        /**
         * Frees what the reads hold, when the loop stops.
         */
        default void close()
        {
        }
    }

    /**
     * Told, on the loop's thread, when a read pass asked for by {@link #requestPass()} is done.
     */
    public interface PassListener
    {
        /** For loops no one asks for passes. */
        PassListener NONE = () ->
        {
        };

        void onPassCompleted();
    }
}
