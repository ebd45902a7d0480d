package io.tickwire.testsupport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * Turns Netty leak reports into test failures. Netty notices a leaked buffer only after the garbage collector has
 * found it unreachable, and reports it only when the next buffer is tracked; {@link #assertNoLeaks} makes both
 * happen, then fails with every report recorded by {@link LeakRecordingDetector} since the last call.
 */
public final class NettyLeaks
{
    private static final int MAX_GC_ROUNDS = 10;
    private static final long GC_WAIT_MS = 200;

    private NettyLeaks()
    {
    }

    /**
     * Collects garbage until a sentinel object's reference has been enqueued (so the references of the buffers
     * collected with it have been processed too), makes the detectors poll, and fails if any leak was reported.
     * Any thread; blocks for at most about two seconds.
     *
     * @param scope what was running, for the failure message: a test class name.
     * @throws AssertionError listing every leak report, with Netty's access records.
     */
    public static void assertNoLeaks(final String scope) throws InterruptedException
    {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID ||
            !(ResourceLeakDetectorFactory.instance().newResourceLeakDetector(NettyLeaks.class)
                instanceof LeakRecordingDetector))
        {
            throw new AssertionError("Netty leak detection is not recording: set io.netty.customResourceLeakDetector=" +
                LeakRecordingDetector.class.getName() + " and io.netty.leakDetection.level=paranoid");
        }
        collectGarbage();
        pollDetectors();
        pollDetectors();

        final StringBuilder reports = new StringBuilder();
        int count = 0;
        String report;
        while ((report = LeakRecordingDetector.pollReport()) != null)
        {
            count++;
            reports.append(System.lineSeparator()).append(report);
        }
        if (count > 0)
        {
            throw new AssertionError(count + " Netty buffer leak(s) reported during " + scope + ":" + reports);
        }
    }

    /**
     * Tracks about one buffer in 128 (Netty's {@code ADVANCED} level) instead of every one until the returned scope
     * is closed. For live tests only: a server and its bots on a loaded CI machine miss their timing assertions when
     * every buffer access records a stack trace. Leaks in that scope are still reported, by sampling; every other
     * test runs paranoid.
     */
    public static SampledScope sampled()
    {
        final ResourceLeakDetector.Level previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.ADVANCED);
        return () -> ResourceLeakDetector.setLevel(previous);
    }

    /**
     * Restores the leak detection level when closed.
     */
    @FunctionalInterface
    public interface SampledScope extends AutoCloseable
    {
        void close();
    }

    private static void collectGarbage() throws InterruptedException
    {
        final ReferenceQueue<Object> collected = new ReferenceQueue<>();
        final WeakReference<Object> sentinel = new WeakReference<>(new Object(), collected);
        for (int round = 0; round < MAX_GC_ROUNDS; round++)
        {
            System.gc();
            if (collected.remove(GC_WAIT_MS) == sentinel)
            {
                return;
            }
        }
    }

    /**
     * Tracking a new buffer is what makes a detector look at its reference queue; every buffer type shares one.
     */
    private static void pollDetectors()
    {
        ByteBufAllocator.DEFAULT.directBuffer(1).release();
        ByteBufAllocator.DEFAULT.heapBuffer(1).release();
        UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    }
}
