package io.tickwire.codec;

import io.tickwire.api.GameType;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.PresenceDecoder;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.testsupport.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every decoder of network bytes, fuzzed: mutations of the seed corpus in {@code src/test/resources/fuzz} (the golden
 * vectors among them), bytes behind a valid type byte, and arbitrary bytes. Each input is handed over in a buffer
 * that ends where the frame ends, once at offset 0 and once behind other bytes, so a read past the frame throws. The
 * decoders reject by return value: any exception fails. What they accept must be in range, and a rejected snapshot
 * leaves the view as it was. The coverage checks show most inputs get past the type byte.
 * <p>
 * A bounded pass (a few thousand tries per decoder, seconds in all) runs in every build; raise {@code tries} to
 * search longer.
 */
class DecoderFuzzTest
{
    private static final int TRIES = 2000;
    private static final int MAX_LENGTH = 300;

    private static final GameType GAME = GameType.builder("arena")
        .entitySchema(GoldenVectorsTest.ARENA_SCHEMA).inputSchema(GoldenVectorsTest.ARENA_INPUT)
        .message(GoldenVectorsTest.CHAT).message(GoldenVectorsTest.KILLED)
        .factory(room -> null).build();

    private static final List<byte[]> SNAPSHOT_BASELINES = List.of(
        Hex.readResource("/fuzz/snapshot/full-snapshot.hex"), Hex.readResource("/fuzz/snapshot/delta-snapshot.hex"));

    private final ControlCodec controlCodec = new ControlCodec();
    private final ClientMessageFlyweight flyweight = new ClientMessageFlyweight();
    private final InputCodec inputCodec = new InputCodec(GoldenVectorsTest.ARENA_INPUT);
    private final MessageCodec messageCodec = new MessageCodec(GAME);
    private final MessageReader reader = new MessageReader();
    private final PresenceDecoder presenceDecoder = new PresenceDecoder();
    private final int[] inputValues = new int[GoldenVectorsTest.ARENA_INPUT.fieldCount()];

    @Example
    void everySeedIsAccepted()
    {
        for (final byte[] seed : seeds("control"))
        {
            assertNotNull(controlCodec.decode(new UnsafeBuffer(seed), 0, seed.length));
        }
        for (final byte[] seed : seeds("client-message"))
        {
            assertEquals(ClientMessageError.NONE, clientMessage(new UnsafeBuffer(seed), 0, seed.length));
        }
        for (final byte[] seed : seeds("room-message"))
        {
            assertTrue(roomMessage(new UnsafeBuffer(seed), 0, seed.length));
        }
        for (final byte[] seed : seeds("presence"))
        {
            assertNotNull(presence(new UnsafeBuffer(seed), 0, seed.length));
        }
        final List<byte[]> snapshots = seeds("snapshot");
        assertEquals(3, snapshots.size());
        for (final byte[] seed : snapshots)
        {
            assertTrue(snapshot(seed) > 0, "accepted by one of the decoder states");
        }
    }

    @Property(tries = TRIES)
    void controlMessages(@ForAll("controlInputs") final byte[] input)
    {
        final Object[] decoded = new Object[2];
        onEveryFraming(input, (buffer, offset, index) ->
            decoded[index] = controlCodec.decode(buffer, offset, input.length));
        assertEquals(String.valueOf(decoded[0]), String.valueOf(decoded[1]), "the same at any offset");
        Statistics.label("accepted").collect(decoded[0] != null);
        Statistics.label("accepted").coverage(coverage -> coverage.check(true).percentage(p -> p > 2));
    }

    @Property(tries = TRIES)
    void clientMessages(@ForAll("clientInputs") final byte[] input)
    {
        final ClientMessageError[] results = new ClientMessageError[2];
        onEveryFraming(input, (buffer, offset, index) -> results[index] = clientMessage(buffer, offset, input.length));
        assertEquals(results[0], results[1], "the same bytes decode the same at any offset");
        Statistics.label("result").collect(results[0]);
        Statistics.label("result").coverage(coverage ->
        {
            coverage.check(ClientMessageError.UNKNOWN_TYPE).percentage(p -> p < 25);
            coverage.check(ClientMessageError.NONE).percentage(p -> p > 5);
        });
    }

    @Property(tries = TRIES)
    void roomMessages(@ForAll("roomInputs") final byte[] input)
    {
        final boolean[] results = new boolean[2];
        onEveryFraming(input, (buffer, offset, index) -> results[index] = roomMessage(buffer, offset, input.length));
        assertEquals(results[0], results[1], "the same bytes decode the same at any offset");
        Statistics.label("accepted").collect(results[0]);
        Statistics.label("accepted").coverage(coverage -> coverage.check(true).percentage(p -> p > 5));
    }

    @Property(tries = TRIES)
    void presenceMessages(@ForAll("presenceInputs") final byte[] input)
    {
        final Object[] decoded = new Object[2];
        onEveryFraming(input, (buffer, offset, index) -> decoded[index] = presence(buffer, offset, input.length));
        assertEquals(String.valueOf(decoded[0]), String.valueOf(decoded[1]), "the same at any offset");
        Statistics.label("accepted").collect(decoded[0] != null);
        Statistics.label("accepted").coverage(coverage -> coverage.check(true).percentage(p -> p > 5));
    }

    @Property(tries = TRIES)
    void snapshots(@ForAll("snapshotInputs") final byte[] input)
    {
        final int applied = snapshot(input);
        Statistics.label("applied").collect(applied > 0);
        Statistics.label("applied").coverage(coverage -> coverage.check(true).percentage(p -> p > 2));
    }

    @Provide
    Arbitrary<byte[]> controlInputs()
    {
        return inputs("control", WireFormat.TYPE_JOIN, WireFormat.TYPE_WELCOME, WireFormat.TYPE_NOTICE);
    }

    @Provide
    Arbitrary<byte[]> clientInputs()
    {
        return inputs("client-message", WireFormat.TYPE_JOIN, WireFormat.TYPE_INPUT, WireFormat.TYPE_LEAVE,
            WireFormat.TYPE_PING, WireFormat.TYPE_MESSAGE, WireFormat.TYPE_ACK);
    }

    @Provide
    Arbitrary<byte[]> roomInputs()
    {
        return inputs("room-message", WireFormat.TYPE_ROOM_MESSAGE);
    }

    @Provide
    Arbitrary<byte[]> presenceInputs()
    {
        return inputs("presence", WireFormat.TYPE_PRESENCE);
    }

    @Provide
    Arbitrary<byte[]> snapshotInputs()
    {
        return inputs("snapshot", WireFormat.TYPE_SNAPSHOT);
    }

    /**
     * Mostly mutated seeds, then bytes behind one of the decoder's type bytes, then anything.
     */
    private static Arbitrary<byte[]> inputs(final String corpus, final byte... types)
    {
        final List<byte[]> seeds = seeds(corpus);
        final Arbitrary<byte[]> anything = Arbitraries.bytes().array(byte[].class).ofMaxSize(MAX_LENGTH);
        final Arbitrary<byte[]> typed = Arbitraries.of(toList(types)).flatMap(type ->
            anything.map(tail -> prepend(type, tail)));
        final Arbitrary<byte[]> mutated = Arbitraries.of(seeds).flatMap(seed ->
            Arbitraries.longs().map(random -> Mutations.mutate(new SplittableRandom(random), seed)));
        return Arbitraries.frequencyOf(Tuple.of(6, mutated), Tuple.of(3, typed), Tuple.of(1, anything));
    }

    private ClientMessageError clientMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        flyweight.wrap(buffer, offset, length);
        final ClientMessageError error = flyweight.validate();
        if (error != ClientMessageError.NONE)
        {
            return error;
        }
        switch (flyweight.type())
        {
            case WireFormat.TYPE_INPUT:
                final ClientMessageError inputError = inputCodec.decode(buffer, offset, length, inputValues);
                if (inputError == ClientMessageError.NONE)
                {
                    for (int i = 0; i < inputValues.length; i++)
                    {
                        assertInRange(GoldenVectorsTest.ARENA_INPUT.field(i), inputValues[i]);
                    }
                }
                return inputError;
            case WireFormat.TYPE_MESSAGE:
                final ClientMessageError messageError = messageCodec.validateClient(buffer, offset, length);
                if (messageError == ClientMessageError.NONE)
                {
                    readFields(buffer);
                }
                return messageError;
            case WireFormat.TYPE_JOIN:
                return controlCodec.decode(buffer, offset, length) != null ?
                    ClientMessageError.NONE : ClientMessageError.BAD_BODY;
            default:
                return ClientMessageError.NONE;
        }
    }

    private boolean roomMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final boolean valid = messageCodec.validateRoom(buffer, offset, length);
        if (valid)
        {
            readFields(buffer);
        }
        return valid;
    }

    private List<PresenceEntry> presence(final DirectBuffer buffer, final int offset, final int length)
    {
        final List<PresenceEntry> entries = presenceDecoder.decode(buffer, offset, length);
        if (entries != null)
        {
            for (final PresenceEntry entry : entries)
            {
                assertTrue(entry.op() == PresenceEntry.OP_JOIN || entry.op() == PresenceEntry.OP_LEAVE ||
                    entry.op() == PresenceEntry.OP_UPDATE, "op " + entry.op());
            }
        }
        return entries;
    }

    /**
     * Decodes the input against a fresh decoder, one that applied the full snapshot seed, and one that applied the
     * full and the delta seeds, at both framings.
     *
     * @return how many of the six decodes applied it.
     */
    private static int snapshot(final byte[] input)
    {
        final int[] applied = {0};
        onEveryFraming(input, (buffer, offset, index) ->
        {
            for (int baselines = 0; baselines <= 2; baselines++)
            {
                applied[0] += snapshotAfter(baselines, buffer, offset, input.length) ? 1 : 0;
            }
        });
        return applied[0];
    }

    private static boolean snapshotAfter(
        final int baselines, final DirectBuffer buffer, final int offset, final int length)
    {
        final SnapshotDecoder decoder = new SnapshotDecoder(GoldenVectorsTest.ARENA_SCHEMA, 30, 64);
        for (final byte[] seed : SNAPSHOT_BASELINES.subList(0, baselines))
        {
            assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(seed), 0, seed.length));
        }
        final int ackBefore = decoder.ackSeq();
        final int countBefore = decoder.entityCount();
        final int checksumBefore = decoder.viewChecksum();

        final SnapshotDecoder.Result result = decoder.decode(buffer, offset, length);
        if (result != SnapshotDecoder.Result.APPLIED)
        {
            assertEquals(ackBefore, decoder.ackSeq(), "a rejected snapshot leaves the view alone");
            assertEquals(countBefore, decoder.entityCount());
            assertEquals(checksumBefore, decoder.viewChecksum());
            return false;
        }
        for (int i = 0; i < decoder.entityCount(); i++)
        {
            assertTrue(i == 0 || decoder.entityId(i) > decoder.entityId(i - 1), "ids ascend");
            for (int f = 0; f < GoldenVectorsTest.ARENA_SCHEMA.fieldCount(); f++)
            {
                assertInRange(GoldenVectorsTest.ARENA_SCHEMA.field(f), decoder.value(i, f));
            }
        }
        return true;
    }

    private void readFields(final DirectBuffer buffer)
    {
        final MessageType type = messageCodec.type();
        reader.wrap(type, buffer, messageCodec.fieldsOffset(), messageCodec.fieldsLength());
        for (int i = 0; i < type.fieldCount(); i++)
        {
            final FieldDef field = type.field(i);
            if (field.type() == FieldType.TEXT)
            {
                assertTrue(reader.getText(i).length() <= field.max());
            }
            else if (field.type() == FieldType.BYTES)
            {
                assertTrue(reader.length(i) <= field.max());
            }
            else
            {
                assertInRange(field, reader.getInt(i));
            }
        }
    }

    private static void assertInRange(final FieldDef field, final int value)
    {
        assertTrue(value >= field.min() && value <= field.max(), field.name() + " = " + value);
    }

    /**
     * Runs the decode twice: over a buffer holding exactly the input, and over one holding other bytes before it;
     * both end where the input ends, so any read past the frame throws.
     */
    private static void onEveryFraming(final byte[] input, final Framed decode)
    {
        decode.run(new UnsafeBuffer(input.clone()), 0, 0);
        final int offset = 7;
        final byte[] behind = new byte[offset + input.length];
        for (int i = 0; i < offset; i++)
        {
            behind[i] = (byte)0xA5;
        }
        System.arraycopy(input, 0, behind, offset, input.length);
        decode.run(new UnsafeBuffer(behind), offset, 1);
    }

    private static List<byte[]> seeds(final String corpus)
    {
        final Map<String, byte[]> files = Hex.readDirectory("/fuzz/" + corpus);
        assertTrue(!files.isEmpty(), "seed corpus " + corpus);
        return new ArrayList<>(files.values());
    }

    private static byte[] prepend(final byte type, final byte[] tail)
    {
        final byte[] bytes = new byte[tail.length + 1];
        bytes[0] = type;
        System.arraycopy(tail, 0, bytes, 1, tail.length);
        return bytes;
    }

    private static List<Byte> toList(final byte[] types)
    {
        final List<Byte> list = new ArrayList<>();
        for (final byte type : types)
        {
            list.add(type);
        }
        return list;
    }

    /**
     * One decode of the input in a given framing; {@code index} is 0 for offset 0 and 1 for the other.
     */
    @FunctionalInterface
    private interface Framed
    {
        void run(DirectBuffer buffer, int offset, int index);
    }
}
