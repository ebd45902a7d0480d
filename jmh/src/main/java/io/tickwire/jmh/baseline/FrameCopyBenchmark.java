package io.tickwire.jmh.baseline;

import io.tickwire.jmh.AbstractBenchmark;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The floor under every hand-off to a link: copying a frame of {@code bytes} from the shard's heap buffer into a
 * reused direct buffer, as each link copies a snapshot or a stream message, against returning a field (JMH's own
 * cost per call). A room message to N recipients costs at least N copies of its length; a snapshot to each client
 * one copy of its own.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameCopyBenchmark extends AbstractBenchmark
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
