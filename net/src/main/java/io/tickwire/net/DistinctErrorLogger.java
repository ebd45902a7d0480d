package io.tickwire.net;

import org.agrona.ErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs each distinct error (type and throwing frame, not the message, which may vary) once with its stack trace, and
 * counts the repeats, so an error that recurs every tick cannot flood the log. At most {@code MAX_DISTINCT} kinds are
 * remembered; beyond that errors are only counted. Thread safe.
 */
final class DistinctErrorLogger implements ErrorHandler
{
    private static final Logger LOGGER = LoggerFactory.getLogger(DistinctErrorLogger.class);
    private static final int MAX_DISTINCT = 1000;

    private final Map<String, AtomicLong> countByKind = new ConcurrentHashMap<>();
    private final AtomicLong errorCount = new AtomicLong();

    public void onError(final Throwable error)
    {
        errorCount.incrementAndGet();
        final StackTraceElement[] trace = error.getStackTrace();
        final String kind = error.getClass().getName() + (trace.length > 0 ? " at " + trace[0] : "");
        final AtomicLong seen = countByKind.get(kind);
        if (seen != null)
        {
            seen.incrementAndGet();
        }
        else if (countByKind.size() < MAX_DISTINCT && countByKind.putIfAbsent(kind, new AtomicLong(1)) == null)
        {
            LOGGER.error("error in {} (logged once, repeats counted)", Thread.currentThread().getName(), error);
        }
    }

    long errorCount()
    {
        return errorCount.get();
    }
}
