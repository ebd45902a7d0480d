package io.tickwire.jmh.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.net.OutboundFrames;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Framing one snapshot for WebSocket: take a pooled buffer, write the frame header, copy the payload from the
 * shard's buffer, release. {@code sharedFrame} is the same snapshot on a body shared with other connections: a small
 * buffer for the frame and snapshot headers (20 bytes copied) and a retained duplicate of the shared body (no copy),
 * both released as a written frame is. The baseline takes and releases the same pooled buffer without framing or
 * copying. It runs on a Netty thread ({@link NettyThreadExecutor}), as the shard and the event loops do.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.tickwire.jmh.net.NettyThreadExecutor"})
public class OutboundFramesBenchmark extends AbstractBenchmark
{
    private static final int HEADER_BYTES = 20;

    @Param({"100", "2020"})
    public int payloadBytes;

    private final ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
    private UnsafeBuffer payload;
    private ByteBuf sharedBody;

    @Setup(Level.Trial)
    public void setUp()
    {
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
        sharedBody = OutboundFrames.copyOf(PooledByteBufAllocator.DEFAULT, payload, HEADER_BYTES,
            payloadBytes - HEADER_BYTES);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        sharedBody.release();
    }

    @Benchmark
    public int sharedFrame()
    {
        final ByteBuf header = OutboundFrames.frameStart(allocator, payload, 0, HEADER_BYTES, payloadBytes);
        final ByteBuf body = sharedBody.retainedDuplicate();
        final int length = header.readableBytes() + body.readableBytes();
        header.release();
        body.release();
        return length;
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
