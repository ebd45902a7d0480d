package io.tickwire.codec;

import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputCodecTest
{
    static final InputSchema ARENA_INPUT = new InputSchema(List.of(
        FieldDef.integer("moveX", -127, 127),
        FieldDef.integer("moveY", -127, 127),
        FieldDef.uint("buttons", 255)));

    private final InputCodec codec = new InputCodec(ARENA_INPUT);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final int[] values = new int[InputSchema.MAX_FIELDS];

    @Test
    void encodesTheDocumentedLayout()
    {
        final int length = codec.encode(buffer, 2, 7, 12, 95, new int[] {-127, 127, 5});
        assertEquals(17, length);
        assertEquals(codec.maxLength(), 13 + 2 + 2 + 2);
        assertArrayEquals(
            Hex.parse("02 07 00 00 00 0c 00 00 00 5f 00 00 00 00 fe 01 05"), bytes(2, length));
        assertEquals(ClientMessageError.NONE, codec.decode(buffer, 2, length, values));
        assertArrayEquals(new int[] {-127, 127, 5}, java.util.Arrays.copyOf(values, 3));
    }

    @Test
    void rejectsTruncatedTrailingOutOfRangeOverflowingAndWrongMessages()
    {
        assertBad("02 07 00 00 00 0c 00 00 00 5f 00 00 00 00 fe 01");
        assertBad("02 07 00 00 00 0c 00 00 00 5f 00 00 00 00 fe 01 05 00");
        assertBad("02 07 00 00 00 0c 00 00 00 5f 00 00 00 ff 01 00 00");
        assertBad("02 07 00 00 00 0c 00 00 00 5f 00 00 00 00 00 80 02");
        assertBad("02 07 00 00 00 0c 00 00 00 5f 00 00 00 80 00 00 00");
        assertBad("02 07 00 00 00 0c 00 00 00 5f 00 00 00 ff ff ff ff ff ff ff ff ff 7f 00 00");
        assertBad("02 07 00 00 00 00 00 00 00 5f 00 00 00 00 00 00");
        assertBad("05 07 00 00 00 0c 00 00 00 5f 00 00 00 00 00 00");
        assertBad("02 07 00 00 00 0c 00 00 00 5f 00 00");
        assertEquals(ClientMessageError.NONE, decode("02 07 00 00 00 0c 00 00 00 00 00 00 00 00 00 00"));
    }

    @Test
    void refusesToEncodeValuesOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> codec.encode(buffer, 0, 0, 1, 0, new int[] {-128, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(buffer, 0, 0, 1, 0, new int[] {0, 0, 256}));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(buffer, 0, 0, 0, 0, new int[] {0, 0, 0}));
    }

    @Test
    void anEmptySchemaCarriesOnlyTheHeader()
    {
        final InputCodec empty = new InputCodec(InputSchema.EMPTY);
        assertEquals(13, empty.encode(buffer, 0, 1, 2, 3, values));
        assertEquals(13, empty.maxLength());
        assertEquals(ClientMessageError.NONE, empty.decode(buffer, 0, 13, values));
        assertEquals(ClientMessageError.BAD_INPUT, empty.decode(buffer, 0, 14, values));
    }

    @Property(tries = 400)
    void randomValidInputsOfRandomSchemasRoundTrip(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final InputSchema schema = RandomSchemas.inputSchema(random);
        final InputCodec randomCodec = new InputCodec(schema);
        final int[] sent = randomValues(random, schema);
        final int inputSeq = random.nextInt() | 1;
        final int length = randomCodec.encode(buffer, 3, random.nextInt(), inputSeq, random.nextInt(), sent);
        assertTrue(length <= randomCodec.maxLength());

        final ClientMessageFlyweight flyweight = new ClientMessageFlyweight().wrap(buffer, 3, length);
        assertEquals(ClientMessageError.NONE, flyweight.validate());
        assertEquals(inputSeq, flyweight.inputSeq());
        assertEquals(ClientMessageError.NONE, randomCodec.decode(buffer, 3, length, values));
        assertArrayEquals(sent, java.util.Arrays.copyOf(values, sent.length));
    }

    @Property(tries = 600)
    void mutatedInputsNeverThrowAndDecodeOnlyInRange(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final InputSchema schema = RandomSchemas.inputSchema(random);
        final InputCodec randomCodec = new InputCodec(schema);
        final int[] sent = randomValues(random, schema);
        final int length = randomCodec.encode(buffer, 0, 1, 1, 1, sent);
        final int mutatedLength = Mutations.mutate(random, buffer, length);
        if (randomCodec.decode(buffer, 0, mutatedLength, values) == ClientMessageError.NONE)
        {
            for (int i = 0; i < sent.length; i++)
            {
                assertTrue(schema.field(i).contains(values[i]));
            }
        }
    }

    private static int[] randomValues(final SplittableRandom random, final InputSchema schema)
    {
        final int[] values = new int[schema.fieldCount()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = RandomSchemas.value(random, schema.field(i));
        }
        return values;
    }

    private void assertBad(final String hex)
    {
        assertEquals(ClientMessageError.BAD_INPUT, decode(hex), hex);
    }

    private ClientMessageError decode(final String hex)
    {
        final byte[] bytes = Hex.parse(hex);
        buffer.putBytes(0, bytes);
        return codec.decode(buffer, 0, bytes.length, values);
    }

    private byte[] bytes(final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
