package io.tickwire.jmh.baseline;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The floor under every hand-off to a link: copying a frame of {@code bytes} from the shard's heap buffer into a
 * reused direct buffer, as each link copies a snapshot or a stream message, against returning a field (JMH's own
 * cost per call). A room message to N recipients costs at least N copies of its length; a snapshot to each client
 * one copy of its own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class FrameCopyBenchmark
{
    @Param({"16", "48", "256", "2048"})
    public int bytes;

    private UnsafeBuffer source;
    private UnsafeBuffer sink;
    private int calls;

    @Setup(Level.Trial)
    public void setUp()
    {
        source = new UnsafeBuffer(new byte[bytes]);
        sink = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes));
    }

    @Benchmark
    public int copy()
    {
        sink.putBytes(0, source, 0, bytes);
        return sink.getByte(bytes - 1);
    }

    @Benchmark
    public int baselineReturn()
    {
        return ++calls;
    }
}
