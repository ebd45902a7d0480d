package io.tickwire.jmh.codec;

import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.MessageReader;
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
 * A received client MESSAGE (0x05) of a chat line (text of 32 bytes) or a numeric message (four fields): the event
 * loop's check as hostile input ({@link MessageCodec#validateClient}), and that check followed by the shard's read
 * ({@link MessageReader#wrap} and its accessors; text is read by length, as {@code getText} makes a String). The
 * baseline reads every byte of the message once, the least any check must do.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MessageCodecBenchmark extends AbstractBenchmark
{
    @Param({"CHAT", "NUMERIC"})
    public BenchMessages message;

    private final MessageCodec codec = new MessageCodec(BenchMessages.GAME_TYPE);
    private final MessageReader reader = new MessageReader();
    private UnsafeBuffer frame;
    private int length;
    private int lastField;

    @Setup(Level.Trial)
    public void setUp()
    {
        final MessageEncoder encoder = new MessageEncoder();
        encoder.begin(message.type);
        message.fill(encoder, 1);
        frame = new UnsafeBuffer(ByteBuffer.allocateDirect(encoder.clientMessageLength()));
        length = encoder.encodeClientMessage(frame, 0, 17, 1);
        lastField = message.type.fieldCount() - 1;
        if (validateThenRead() <= 0)
        {
            throw new IllegalStateException("the benchmark's message does not validate");
        }
    }

    @Benchmark
    public int validateClient()
    {
        return codec.validateClient(frame, 0, length).ordinal() + codec.fieldsOffset();
    }

    @Benchmark
    public int validateThenRead()
    {
        if (codec.validateClient(frame, 0, length) != ClientMessageError.NONE)
        {
            return -1;
        }
        reader.wrap(codec.type(), frame, codec.fieldsOffset(), codec.fieldsLength());
        final int last = message.type.field(lastField).type().isNumeric() ?
            reader.getInt(lastField) : reader.length(lastField);
        return reader.getInt(0) + last + 1;
    }

    @Benchmark
    public int baselineReadBytes()
    {
        int sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += frame.getByte(i);
        }
        return sum;
    }
}
