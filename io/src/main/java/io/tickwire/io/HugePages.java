package io.tickwire.io;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Whether the Java heap is on transparent huge pages, and what to tell whoever runs the process about it.
 * <p>
 * A server or swarm process touches a few cache lines of each of thousands of connections, sessions and histories
 * every tick, scattered over a heap of hundreds of megabytes. With 4 KiB pages nearly every such touch also misses
 * the TLB, and in a virtual machine a miss walks two page tables. On 2 MiB pages the same heap needs a few hundred
 * TLB entries instead of tens of thousands: on this project's reference VM, {@code -XX:+UseTransparentHugePages}
 * cut the server's user time per client-tick by 17-24%, and its CPU by 7-15% (docs/PERFORMANCE.md, ninth pass).
 * Most Linux distributions set the kernel's mode to {@code madvise}, where only memory the process asks for gets
 * huge pages, and HotSpot asks only when given that flag; a JAR cannot set a JVM flag, so the process says so at
 * start instead.
 */
public final class HugePages
{
    /** The JVM option that puts the heap and the code cache on transparent huge pages (HotSpot on Linux only). */
    public static final String JVM_OPTION = "UseTransparentHugePages";
    private static final Path KERNEL_MODE_FILE = Paths.get("/sys/kernel/mm/transparent_hugepage/enabled");

    /**
     * What to tell.
     *
     * @param warn    the process runs on small pages that it could have on huge ones.
     * @param message the line to log.
     */
    public record Advice(boolean warn, String message)
    {
    }

    private HugePages()
    {
    }

    /**
     * @return the advice for this process: reads the kernel's mode and the running JVM's option. Cold path: once at
     * start.
     */
    public static Advice adviceForThisProcess()
    {
        return advice(kernelMode(), jvmUsesThem());
    }

    /**
     * @param kernelMode  the kernel's transparent huge page mode ({@code always}, {@code madvise} or {@code never}),
     *                    or null where there is none (not Linux, or a kernel without them).
     * @param jvmUsesThem whether the JVM runs with {@code -XX:+UseTransparentHugePages}, or null where the JVM has
     *                    no such option.
     */
    static Advice advice(final String kernelMode, final Boolean jvmUsesThem)
    {
        if (kernelMode == null || "never".equals(kernelMode))
        {
            return new Advice(false, "Java heap on small pages: the kernel offers no transparent huge pages (" +
                (kernelMode == null ? "none on this system" : "mode never") + ")");
        }
        if (Boolean.TRUE.equals(jvmUsesThem))
        {
            return new Advice(false, "Java heap on transparent huge pages (-XX:+" + JVM_OPTION + ", kernel mode " +
                kernelMode + ")");
        }
        if (jvmUsesThem == null)
        {
            return new Advice(false, "Java heap on small pages: this JVM has no -XX:+" + JVM_OPTION +
                " (kernel mode " + kernelMode + ")");
        }
        if ("always".equals(kernelMode))
        {
            return new Advice(false, "Java heap on transparent huge pages where the kernel finds them (kernel mode " +
                "always); -XX:+" + JVM_OPTION + " asks for them from the start");
        }
        return new Advice(true, "Java heap on small pages: run java with -XX:+" + JVM_OPTION + " (the kernel's mode " +
            "is " + kernelMode + ", so the heap gets huge pages only when the JVM asks for them); it cut the CPU " +
            "per client-tick by 7-15% on the reference VM, see docs/PERFORMANCE.md");
    }

    /**
     * @param modes the kernel file's content, e.g. {@code always [madvise] never}.
     * @return the selected mode, the bracketed word; null when none is.
     */
    static String selectedMode(final String modes)
    {
        final int open = modes.indexOf('[');
        final int close = modes.indexOf(']', open + 1);
        return open < 0 || close < 0 ? null : modes.substring(open + 1, close);
    }

    private static String kernelMode()
    {
        try
        {
            return Files.isReadable(KERNEL_MODE_FILE) ?
                selectedMode(new String(Files.readAllBytes(KERNEL_MODE_FILE), StandardCharsets.US_ASCII)) : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static Boolean jvmUsesThem()
    {
        try
        {
            final HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot == null ? null : Boolean.valueOf(hotSpot.getVMOption(JVM_OPTION).getValue());
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }
}
