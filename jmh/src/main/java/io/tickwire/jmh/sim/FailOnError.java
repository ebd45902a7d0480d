package io.tickwire.jmh.sim;

import org.agrona.ErrorHandler;

/**
 * The shard error handler of the benchmarks: an error in a benchmarked shard is a broken benchmark, so it fails
 * the run rather than being measured.
 */
final class FailOnError implements ErrorHandler
{
    static final FailOnError INSTANCE = new FailOnError();

    public void onError(final Throwable error)
    {
        throw new IllegalStateException("shard error during a benchmark", error);
    }
}
