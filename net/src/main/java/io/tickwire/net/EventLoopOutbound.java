package io.tickwire.net;

import io.netty.channel.EventLoop;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The outbound hand-off of one event loop: shards enqueue sessions that have frames waiting, and one drain task per
 * batch runs on the loop, writing and flushing each session once. However many clients a shard serves on this
 * loop, a tick costs the loop one task and each channel one flush.
 * <pre>
 *   shard threads (many)                         event loop (one)
 *   session.offer(...) -> queue.offer(session)   drain: poll sessions -> write control, snapshot -> flush
 *                      -> execute(drain) once
 * </pre>
 */
final class EventLoopOutbound implements Runnable
{
    private final EventLoop eventLoop;
    private final MpscUnboundedXaddArrayQueue<Session> readySessions = new MpscUnboundedXaddArrayQueue<>(1024);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final DirectSocketWriter socketWriter = new DirectSocketWriter();

    EventLoopOutbound(final EventLoop eventLoop)
    {
        this.eventLoop = eventLoop;
    }

    /**
     * Marks a session as having frames to write. Any thread; a session is enqueued at most once until drained.
     *
     * @return false when the event loop has terminated (the server stopped while a shard still sent): nothing will
     * write the session, so the caller releases what it holds.
     */
    boolean enqueue(final Session session)
    {
        readySessions.offer(session);
        if (drainScheduled.compareAndSet(false, true))
        {
            try
            {
                eventLoop.execute(this);
            }
            catch (final RejectedExecutionException ex)
            {
                drainScheduled.set(false);
                return false;
            }
        }
        return !eventLoop.isTerminated();
    }

    /**
     * @return the loop's direct writer. Event loop only.
     */
    DirectSocketWriter socketWriter()
    {
        return socketWriter;
    }

    /**
     * The drain task, on the event loop.
     */
    public void run()
    {
        drainScheduled.set(false);
        Session session;
        while ((session = readySessions.poll()) != null)
        {
            session.writeOutbound();
        }
    }
}
