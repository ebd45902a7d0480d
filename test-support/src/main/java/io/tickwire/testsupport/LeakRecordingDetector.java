package io.tickwire.testsupport;

import io.netty.util.ResourceLeakDetector;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Netty leak detector that also records every leak it reports, so a test run can fail on it instead of leaving a
 * line in a log nobody reads. Netty makes one per tracked resource type when the system property
 * {@code io.netty.customResourceLeakDetector} names this class (the parent pom sets it for every test JVM).
 * <p>
 * Reports arrive on whichever thread next allocates a tracked resource; {@link NettyLeaks} drains them.
 *
 * @param <T> the tracked resource type.
 */
public final class LeakRecordingDetector<T> extends ResourceLeakDetector<T>
{
    private static final Queue<String> REPORTS = new ConcurrentLinkedQueue<>();

    /**
     * The constructor Netty's default factory looks up by reflection.
     */
    public LeakRecordingDetector(final Class<?> resourceType, final int samplingInterval)
    {
        super(resourceType, samplingInterval);
    }

    /**
     * The constructor Netty's default factory looks up first; without it, it logs an error before using the other.
     *
     * @param maxActive ignored, as Netty ignores it.
     */
    public LeakRecordingDetector(final Class<?> resourceType, final int samplingInterval, final long maxActive)
    {
        this(resourceType, samplingInterval);
    }

    /**
     * @return the next leak report not yet taken, or null.
     */
    static String pollReport()
    {
        return REPORTS.poll();
    }

    /**
     * Reports whatever the logging configuration: a leak is a test failure, not a log level.
     */
    protected boolean needReport()
    {
        return true;
    }

    protected void reportTracedLeak(final String resourceType, final String records)
    {
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        super.reportTracedLeak(resourceType, records);
    }

    protected void reportUntracedLeak(final String resourceType)
    {
        REPORTS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected " +
            "(no access records: raise io.netty.leakDetection.level to paranoid).");
        super.reportUntracedLeak(resourceType);
    }
}
