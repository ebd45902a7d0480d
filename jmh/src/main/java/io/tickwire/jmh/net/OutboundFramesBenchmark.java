package io.tickwire.jmh.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.net.OutboundFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Framing one snapshot for WebSocket: take a pooled buffer, write the frame header, copy the payload from the
 * shard's buffer, release. The baseline takes and releases the same pooled buffer without framing or copying.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutboundFramesBenchmark extends AbstractBenchmark
{
    @Param({"100", "2020"})
    public int payloadBytes;

    private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    private UnsafeBuffer payload;

    @Setup(Level.Trial)
    public void setUp()
    {
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
    }

    @Benchmark
    public int frame()
    {
        final ByteBuf frame = OutboundFrames.binaryFrame(allocator, payload, 0, payloadBytes);
        final int length = frame.readableBytes();
        frame.release();
        return length;
    }

    @Benchmark
    public int baselineAllocateRelease()
    {
        final ByteBuf buffer = allocator.directBuffer(payloadBytes + 4);
        final int capacity = buffer.capacity();
        buffer.release();
        return capacity;
    }
}
