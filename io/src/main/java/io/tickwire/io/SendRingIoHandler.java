package io.tickwire.io;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ThreadAwareExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event loop's I/O handler with the loop's {@link SendRing} beside it: the ring is opened as the loop starts and
 * freed as its handler is destroyed, both on the loop's thread, the ring's only issuer, so a loop's ring lives exactly
 * as long as the loop, whatever tasks its shutdown ran. Everything else is the wrapped handler's. Code on the loop
 * (the server's outbound drain, the swarm's cycle) finds the ring of the loop it runs on through {@link #current()}.
 * A system that refuses a ring leaves that loop without one, logged: its connections write each send themselves.
 * <p>
 * Event loop only.
 */
public final class SendRingIoHandler implements IoHandler
{
    private static final Logger LOGGER = LoggerFactory.getLogger(SendRingIoHandler.class);
    private static final FastThreadLocal<SendRing> CURRENT = new FastThreadLocal<>();

    private final IoHandler handler;
    private final ThreadAwareExecutor loop;
    private final int ringEntries;
    private final int copyBytes;
    private SendRing ring;

    private SendRingIoHandler(
        final IoHandler handler, final ThreadAwareExecutor loop, final int ringEntries, final int copyBytes)
    {
        this.handler = handler;
        this.loop = loop;
        this.ringEntries = ringEntries;
        this.copyBytes = copyBytes;
    }

    /**
     * @return handlers of {@code handlers}' kind, each with a send ring of {@value SendRing#ENTRIES} entries and no
     * memory for copies.
     */
    public static IoHandlerFactory wrap(final IoHandlerFactory handlers)
    {
        return wrap(handlers, SendRing.ENTRIES, 0);
    }

    /**
     * @param ringEntries sends a ring queues at most before it submits them; a batch with more submits in parts.
     * @param copyBytes   memory for copied sends a ring queues at most before it submits them
     *                    ({@link SendRing#offerCopy}).
     */
    public static IoHandlerFactory wrap(final IoHandlerFactory handlers, final int ringEntries, final int copyBytes)
    {
        return loop -> new SendRingIoHandler(handlers.newHandler(loop), loop, ringEntries, copyBytes);
    }

    /**
     * @return the send ring of the event loop this thread runs, or null when it has none.
     */
    public static SendRing current()
    {
        return CURRENT.getIfExists();
    }

    public void initialize()
    {
        handler.initialize();
        try
        {
            ring = SendRing.open(loop, ringEntries, copyBytes);
            CURRENT.set(ring);
        }
        catch (final Exception | LinkageError ex)
        {
            LOGGER.warn("An event loop writes each send itself: it could not open an io_uring to batch its writes " +
                "({})", ex.toString());
        }
    }

    public int run(final IoHandlerContext context)
    {
        return handler.run(context);
    }

    public void prepareToDestroy()
    {
        handler.prepareToDestroy();
    }

    public void destroy()
    {
        try
        {
            handler.destroy();
        }
        finally
        {
            if (ring != null)
            {
                CURRENT.remove();
                ring.destroy();
            }
        }
    }

    public IoRegistration register(final IoHandle handle) throws Exception
    {
        return handler.register(handle);
    }

    public void wakeup()
    {
        handler.wakeup();
    }

    public boolean isCompatible(final Class<? extends IoHandle> handleType)
    {
        return handler.isCompatible(handleType);
    }
}
