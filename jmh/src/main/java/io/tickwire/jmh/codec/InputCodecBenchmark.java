package io.tickwire.jmh.codec;

import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.jmh.AbstractBenchmark;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An INPUT message of a game's input schema: the event loop's decode of a received input as hostile input (length,
 * type, sequence, each value's varint against its field's range, no trailing byte), and the client's encode. The
 * schemas: the arena's (moveX, moveY INT -127..127, buttons UINT 0..255) and one of eight fields (the arena's, plus
 * aim yaw of three varint bytes, pitch, weapon, throttle and lean). The baseline reads one byte per field with no
 * check, the least a decoder must do.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InputCodecBenchmark extends AbstractBenchmark
{
    private static final InputSchema EIGHT_FIELDS = new InputSchema(List.of(
        FieldDef.integer("moveX", -ArenaGame.MAX_MOVE, ArenaGame.MAX_MOVE),
        FieldDef.integer("moveY", -ArenaGame.MAX_MOVE, ArenaGame.MAX_MOVE),
        FieldDef.uint("buttons", 255),
        FieldDef.uint("yaw", 65535),
        FieldDef.integer("pitch", -90, 90),
        FieldDef.enumeration("weapon", 8),
        FieldDef.uint("throttle", 100),
        FieldDef.integer("lean", -1, 1)));

    @Param({"arena", "eight"})
    public String schema;

    private InputCodec codec;
    private UnsafeBuffer frame;
    private int length;
    private int[] values;
    private int[] decoded;
    private int seq = 1;

    @Setup(Level.Trial)
    public void setUp()
    {
        final boolean arena = "arena".equals(schema);
        codec = new InputCodec(arena ? ArenaGame.INPUT_SCHEMA : EIGHT_FIELDS);
        values = arena ? new int[] {-90, 90, 5} : new int[] {-90, 90, 5, 40_000, -30, 6, 75, 1};
        decoded = new int[values.length];
        frame = new UnsafeBuffer(ByteBuffer.allocateDirect(codec.maxLength()));
        length = encode();
        if (decode() != values[0])
        {
            throw new IllegalStateException("the benchmark's input does not decode");
        }
    }

    @Benchmark
    public int decode()
    {
        return codec.decode(frame, 0, length, decoded).ordinal() + decoded[0];
    }

    @Benchmark
    public int encode()
    {
        return codec.encode(frame, 0, seq, seq++ | 1, 0, values);
    }

    @Benchmark
    public int baselineReadBytes()
    {
        int sum = 0;
        for (int i = 0; i < decoded.length; i++)
        {
            sum += frame.getByte(ClientMessageFlyweight.INPUT_VALUES_OFFSET + i);
        }
        return sum;
    }
}
