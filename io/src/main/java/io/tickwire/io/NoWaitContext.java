package io.tickwire.io;

import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;

/**
 * Asks an {@link IoHandler} run by hand, outside an event loop's own cycle, to do what is ready (submit, reap) and
 * return without waiting: for an io_uring driven from another loop's thread only to batch its writes. Stateless;
 * thread safe.
 */
public final class NoWaitContext implements IoHandlerContext
{
    /** The one instance. */
    public static final NoWaitContext INSTANCE = new NoWaitContext();

    private NoWaitContext()
    {
    }

    public boolean canBlock()
    {
        return false;
    }

    public long delayNanos(final long currentTimeNanos)
    {
        return 0;
    }

    public long deadlineNanos()
    {
        return -1;
    }
}
