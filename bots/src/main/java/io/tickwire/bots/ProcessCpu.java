package io.tickwire.bots;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the CPU time this process has used so far, split into user and system time, and the CPU time of given
 * threads. The total is the JVM's exact process CPU clock ({@code com.sun.management.OperatingSystemMXBean}); the
 * user/system split is the ratio of the kernel's {@code utime} and {@code stime} in {@code /proc/self/stat}, which
 * count in clock ticks (10 ms), so the split of a window of a few seconds is approximate while its total is not.
 * <p>
 * Cold path: read twice a run by the swarm's own thread. Thread safe.
 */
final class ProcessCpu
{
    /** A reading of the process's CPU time so far, in nanoseconds; user and system are -1 where unknown. */
    record Sample(long totalNs, long userNs, long systemNs)
    {
        static final Sample NONE = new Sample(-1, -1, -1);
    }

    private static final Path STAT = Path.of("/proc/self/stat");
    /** Index of {@code utime} among the fields after the command name's closing parenthesis (field 14 of stat). */
    private static final int UTIME_FIELD = 11;

    private ProcessCpu()
    {
    }

    /**
     * @return the process's CPU time so far; {@link Sample#NONE} when the JVM cannot tell it.
     */
    static Sample sample()
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean))
        {
            return Sample.NONE;
        }
        final long totalNs = ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime();
        if (totalNs < 0)
        {
            return Sample.NONE;
        }
        final long[] ticks = userAndSystemTicks();
        if (ticks == null || ticks[0] + ticks[1] == 0)
        {
            return new Sample(totalNs, -1, -1);
        }
        final long userNs = Math.round(totalNs * (double)ticks[0] / (ticks[0] + ticks[1]));
        return new Sample(totalNs, userNs, totalNs - userNs);
    }

    /**
     * @return the CPU time of the thread with id {@code threadId} so far, in nanoseconds; -1 when the JVM cannot tell
     * it or the thread has ended.
     */
    static long threadCpuNs(final long threadId)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(threadId) : -1;
    }

    /**
     * @return {@code utime} and {@code stime} of this process in clock ticks; null off Linux or when unreadable.
     */
    static long[] userAndSystemTicks()
    {
        try
        {
            return parseUserAndSystemTicks(Files.readString(STAT, StandardCharsets.US_ASCII));
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * @param stat the text of a {@code /proc/PID/stat} file; the command name in parentheses may hold spaces and
     *             parentheses, so fields are counted after its last closing parenthesis.
     * @return {@code utime} and {@code stime}, in clock ticks.
     * @throws IllegalArgumentException when the text has too few fields.
     */
    static long[] parseUserAndSystemTicks(final String stat)
    {
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" +");
        if (fields.length <= UTIME_FIELD + 1)
        {
            throw new IllegalArgumentException("short stat: " + fields.length + " fields");
        }
        return new long[] { Long.parseLong(fields[UTIME_FIELD]), Long.parseLong(fields[UTIME_FIELD + 1]) };
    }
}
