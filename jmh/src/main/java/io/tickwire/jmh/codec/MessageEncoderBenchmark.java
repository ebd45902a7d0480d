package io.tickwire.jmh.codec;

import io.tickwire.codec.MessageEncoder;
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
 * A room message (0x45) as a room sends it: built and encoded once ({@code begin}, the puts, text encoded char by
 * char, {@code encodeRoomMessage}), then per recipient its stream sequence patched and the bytes copied into the
 * recipient's own buffer, as a link copies them. The baseline is that copy alone: what any hand-off costs.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MessageEncoderBenchmark extends AbstractBenchmark
{
    @Param({"CHAT", "NUMERIC"})
    public BenchMessages message;

    private final MessageEncoder encoder = new MessageEncoder();
    private UnsafeBuffer buffer;
    private UnsafeBuffer recipient;
    private int length;
    private int seq;

    @Setup(Level.Trial)
    public void setUp()
    {
        buffer = new UnsafeBuffer(new byte[1024]);
        recipient = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        length = encode();
    }

    @Benchmark
    public int encode()
    {
        encoder.begin(message.type);
        message.fill(encoder, ++seq);
        return encoder.encodeRoomMessage(buffer, 0, seq);
    }

    @Benchmark
    public int patchSeqThenCopy()
    {
        MessageEncoder.patchSeq(buffer, 0, ++seq);
        recipient.putBytes(0, buffer, 0, length);
        return recipient.getInt(1);
    }

    @Benchmark
    public int baselineCopy()
    {
        recipient.putBytes(0, buffer, 0, length);
        return recipient.getInt(1);
    }
}
