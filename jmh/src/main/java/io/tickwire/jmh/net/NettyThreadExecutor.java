package io.tickwire.jmh.net;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's benchmark threads as the server's threads are (event loops and shards come from Netty's
 * {@link DefaultThreadFactory}): {@code FastThreadLocalThread}s, on which Netty's recycler pools objects such as
 * pooled buffers' duplicates. On a plain thread it allocates them, so a benchmark run there would show allocations
 * the server does not make. Selected with {@code -Djmh.executor=CUSTOM -Djmh.executor.class=<this class>}.
 */
public final class NettyThreadExecutor extends ThreadPoolExecutor
{
    public NettyThreadExecutor(final int maxThreads, final String prefix)
    {
        super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            new DefaultThreadFactory(prefix));
    }
}
