package io.tickwire.bots;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A bot event loop's I/O paced to the group's cycle ({@link BotGroup#CYCLE_NS}): wraps the transport's own
 * {@link IoHandler} and never lets it block. Where the transport would sleep in {@code epoll_wait} and wake for every
 * socket that turns readable (with a server writing a tick's snapshots one connection after another, a swarm faster
 * than the server woke for each one or two), the loop's thread parks until the next scheduled task (the cycle), a
 * task handed to the loop ({@link #wakeup()}), or {@link BotGroup#CYCLE_NS} at the latest; then the transport handles
 * everything ready without blocking, round after round until one finds nothing (at most {@value #MAX_ROUNDS}), and
 * the cycle runs. So the loop wakes about once a cycle however many bots it serves.
 * <pre>
 *   park until the cycle is due (or a task)  ->  read every ready socket: snapshots verified, timed  ->  cycle: inputs
 * </pre>
 * The bound it adds to what the bots measure: a message is read at most one cycle (1 ms, plus the kernel's timer
 * slack, 50 µs by default) after it arrived, so input latency, round trips and jitter read up to that much more than
 * they are; handshakes and connects wait as long per step.
 * <p>
 * Run by the event loop's thread; {@link #wakeup()} from any thread.
 */
final class CyclePacedIoHandler implements IoHandler
{
    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final int MAX_ROUNDS = 16;

    private final IoHandler transport;
    private final NonBlockingContext nonBlocking = new NonBlockingContext();
    private final AtomicInteger state = new AtomicInteger(AWAKE);
    private volatile Thread thread;

    /**
     * @param transport the transport's handler, which this one runs without ever letting it block.
     */
    CyclePacedIoHandler(final IoHandler transport)
    {
        this.transport = transport;
    }

    /**
     * @return a factory of handlers pacing those of {@code transport}.
     */
    static IoHandlerFactory factory(final IoHandlerFactory transport)
    {
        return executor -> new CyclePacedIoHandler(transport.newHandler(executor));
    }

    public void initialize()
    {
        thread = Thread.currentThread();
        transport.initialize();
    }

    public int run(final IoHandlerContext context)
    {
        if (context.canBlock())
        {
            sleep(context);
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
        return handled;
    }

    /**
     * Parks until the next scheduled task, a task, or a cycle. Publishing {@link #PARKED} before checking for tasks
     * again means a {@link #wakeup()} racing the decision to sleep is never lost: it either sees PARKED and unparks, or
     * its task is seen here.
     */
    private void sleep(final IoHandlerContext context)
    {
        long nowNs = System.nanoTime();
        final long wakeAtNs = nowNs + Math.min(BotGroup.CYCLE_NS, context.delayNanos(nowNs));
        state.set(PARKED);
        while (state.get() == PARKED && context.canBlock())
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

    public void prepareToDestroy()
    {
        transport.prepareToDestroy();
    }

    public void destroy()
    {
        transport.destroy();
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
}
