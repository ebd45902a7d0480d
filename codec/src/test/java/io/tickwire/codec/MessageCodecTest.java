package io.tickwire.codec;

import io.tickwire.api.GameType;
import io.tickwire.api.schema.Direction;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest
{
    static final MessageType CHAT = MessageType.both(1, "chat", 5, 10, FieldDef.text("text", 64));
    static final MessageType KILLED = MessageType.toClients(
        2, "killed", FieldDef.uint("killer", 1 << 20), FieldDef.uint("victim", 1 << 20));
    static final MessageType EMOTE = MessageType.fromClients(
        3, "emote", 2, 4, FieldDef.enumeration("kind", 4), FieldDef.bytes("data", 8),
        FieldDef.integer("delta", Integer.MIN_VALUE, Integer.MAX_VALUE));

    static final GameType GAME = GameType.builder("arena")
        .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 255))))
        .message(CHAT)
        .message(KILLED)
        .message(EMOTE)
        .factory(room -> null)
        .build();

    private final MessageCodec codec = new MessageCodec(GAME);
    private final MessageEncoder encoder = new MessageEncoder();
    private final MessageReader reader = new MessageReader();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16384]);

    @Test
    void clientMessageLayoutAndReading()
    {
        final int length = encoder.begin(CHAT).putText(0, "hé").encodeClientMessage(buffer, 0, 9, 1);
        assertEquals(encoder.clientMessageLength(), length);
        assertArrayEquals(Hex.parse("05 09 00 00 00 01 00 00 00 01 03 68 c3 a9"), bytes(length));

        assertEquals(ClientMessageError.NONE, codec.validateClient(buffer, 0, length));
        assertSame(CHAT, codec.type());
        assertEquals(1, codec.seq());
        assertEquals(10, codec.fieldsOffset());
        assertEquals(4, codec.fieldsLength());
        reader.wrap(codec.type(), buffer, codec.fieldsOffset(), codec.fieldsLength());
        assertEquals("hé", reader.getText(0));
        assertEquals(3, reader.length(0));
        final byte[] utf8 = new byte[5];
        reader.getBytes(0, utf8, 1);
        assertArrayEquals(new byte[] {0, 'h', (byte)0xC3, (byte)0xA9, 0}, utf8);
        assertThrows(IllegalArgumentException.class, () -> reader.getInt(0));
    }

    @Test
    void roomMessageLayoutPatchAndDirection()
    {
        final int length = encoder.begin(KILLED).putInt(0, 300).putInt(1, 1 << 20).encodeRoomMessage(buffer, 0, 7);
        assertArrayEquals(Hex.parse("45 07 00 00 00 02 ac 02 80 80 40"), bytes(length));
        MessageEncoder.patchSeq(buffer, 0, 0x01020304);
        assertArrayEquals(Hex.parse("45 04 03 02 01 02 ac 02 80 80 40"), bytes(length));

        assertTrue(codec.validateRoom(buffer, 0, length));
        assertEquals(0x01020304, codec.seq());
        reader.wrap(codec.type(), buffer, codec.fieldsOffset(), codec.fieldsLength());
        assertEquals(300, reader.getInt(0));
        assertEquals(1 << 20, reader.getInt(1));
        assertThrows(IllegalArgumentException.class, () -> reader.getText(0));
        assertThrows(IllegalArgumentException.class, () -> reader.length(1));

        MessageEncoder.patchSeq(buffer, 0, Sequence.NONE);
        assertFalse(codec.validateRoom(buffer, 0, length), "stream sequences start at 1");

        final int emote = encoder.begin(EMOTE).encodeRoomMessage(buffer, 0, 1);
        assertFalse(codec.validateRoom(buffer, 0, emote), "only clients send emote");
        assertNull(codec.type());
    }

    @Test
    void aRoomOnlyTypeFromAClientIsAnUnknownMessageType()
    {
        final int length = encoder.begin(KILLED).encodeClientMessage(buffer, 0, 0, 1);
        assertEquals(ClientMessageError.UNKNOWN_MESSAGE_TYPE, codec.validateClient(buffer, 0, length));
    }

    @Test
    void rejectsHostileClientMessages()
    {
        assertError(ClientMessageError.NONE, "05 00 00 00 00 01 00 00 00 01 00");
        assertError(ClientMessageError.BAD_LENGTH, "05 00 00 00 00 01 00 00 00");
        assertError(ClientMessageError.UNKNOWN_TYPE, "02 00 00 00 00 01 00 00 00 01 00");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 00 00");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 02 61");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 41" + " 61".repeat(65));
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 02 c3 28");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 02 c0 80");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 03 ed a0 80");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 04 f4 90 80 80");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 01 07");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 01 7f");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 01 02 c2 85");
        assertError(ClientMessageError.NONE, "05 00 00 00 00 01 00 00 00 01 02 c2 a0");
        assertError(ClientMessageError.UNKNOWN_MESSAGE_TYPE, "05 00 00 00 00 01 00 00 00 63 00");
        assertError(ClientMessageError.UNKNOWN_MESSAGE_TYPE, "05 00 00 00 00 01 00 00 00 00");
        assertError(ClientMessageError.UNKNOWN_MESSAGE_TYPE, "05 00 00 00 00 01 00 00 00 81 01 00");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 81 00 00");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 ff ff ff ff ff ff ff ff ff 7f");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 03 04 00 00");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 03 00 09" + " 00".repeat(10));
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 03 00 00 80 80 80 80 10");
        assertError(ClientMessageError.NONE, "05 00 00 00 00 01 00 00 00 03 00 00 ff ff ff ff 0f");
        assertError(ClientMessageError.BAD_MESSAGE, "05 00 00 00 00 01 00 00 00 03 00 00 ff ff ff ff 0f 00");
        assertError(ClientMessageError.BAD_LENGTH, "05 00 00 00 00 01 00 00 00 01 00" + " 00".repeat(246));
    }

    @Test
    void encoderRefusesWhatTheSchemaRefuses()
    {
        assertThrows(IllegalStateException.class, () -> new MessageEncoder().putInt(0, 1));
        encoder.begin(EMOTE);
        assertThrows(IllegalArgumentException.class, () -> encoder.putInt(0, 4));
        assertThrows(IllegalArgumentException.class, () -> encoder.putInt(0, -1));
        assertThrows(IllegalArgumentException.class, () -> encoder.putInt(1, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.putInt(3, 0));
        assertThrows(IllegalArgumentException.class, () -> encoder.putText(1, "x"));
        assertThrows(IllegalArgumentException.class, () -> encoder.putBytes(1, new byte[9], 0, 9));
        assertThrows(IllegalArgumentException.class, () -> encoder.putBytes(1, new byte[4], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> encoder.putBytes(0, new byte[1], 0, 1));
        encoder.begin(CHAT);
        assertThrows(IllegalArgumentException.class, () -> encoder.putText(0, "a\tb"));
        assertThrows(IllegalArgumentException.class, () -> encoder.putText(0, "a\u0085"));
        assertThrows(IllegalArgumentException.class, () -> encoder.putText(0, "\uD800x"));
        assertThrows(IllegalArgumentException.class, () -> encoder.putText(0, "é".repeat(33)));
        encoder.putText(0, "é".repeat(32));
        assertEquals(9 + 1 + 1 + 64, encoder.clientMessageLength());
        assertThrows(IllegalArgumentException.class, () -> encoder.putInt(0, 0));
    }

    @Test
    void fieldsNotPutAreTheirMinimumOrEmpty()
    {
        encoder.begin(EMOTE).putInt(2, 5).putBytes(1, new byte[] {1, 2}, 0, 2);
        encoder.begin(EMOTE);
        final int length = encoder.encodeClientMessage(buffer, 0, 0, 1);
        assertEquals(ClientMessageError.NONE, codec.validateClient(buffer, 0, length));
        reader.wrap(codec.type(), buffer, codec.fieldsOffset(), codec.fieldsLength());
        assertEquals(0, reader.getInt(0));
        assertEquals(0, reader.length(1));
        assertEquals(Integer.MIN_VALUE, reader.getInt(2));
    }

    @Test
    void readerRefusesBytesThatWereNotValidated()
    {
        buffer.putByte(0, (byte)0x7F);
        assertThrows(IllegalArgumentException.class, () -> reader.wrap(KILLED, buffer, 0, 1));
    }

    @Property(tries = 400)
    void randomMessagesOfRandomTypesRoundTrip(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Direction direction = Direction.values()[random.nextInt(3)];
        final MessageType type = RandomSchemas.messageType(random, 1 + random.nextInt(MessageType.MAX_ID), direction);
        final MessageCodec randomCodec = new MessageCodec(gameOf(type));
        final Object[] sent = randomMessage(random, type);

        if (direction.clientMaySend())
        {
            final int length = encoder.encodeClientMessage(buffer, 1, random.nextInt(), 1 + random.nextInt(1000));
            assertTrue(length <= WireFormat.MAX_CLIENT_MESSAGE_LENGTH);
            assertEquals(ClientMessageError.NONE, randomCodec.validateClient(buffer, 1, length));
            assertReads(type, sent, randomCodec);
        }
        if (direction.roomMaySend())
        {
            final int length = encoder.encodeRoomMessage(buffer, 1, 1 + random.nextInt(1000));
            assertEquals(encoder.roomMessageLength(), length);
            assertTrue(randomCodec.validateRoom(buffer, 1, length));
            assertReads(type, sent, randomCodec);
        }
    }

    @Property(tries = 600)
    void mutatedMessagesNeverThrowAndWhatPassesReadsInRange(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Direction direction = Direction.values()[random.nextInt(3)];
        final MessageType type = RandomSchemas.messageType(random, 1 + random.nextInt(3), direction);
        final MessageCodec randomCodec = new MessageCodec(gameOf(type));
        randomMessage(random, type);
        final int length = direction.clientMaySend() ?
            encoder.encodeClientMessage(buffer, 0, 0, 1) : encoder.encodeRoomMessage(buffer, 0, 1);
        final int mutated = Mutations.mutate(random, buffer, length);

        final boolean clientValid = randomCodec.validateClient(buffer, 0, mutated) == ClientMessageError.NONE;
        if (clientValid || randomCodec.validateRoom(buffer, 0, mutated))
        {
            reader.wrap(randomCodec.type(), buffer, randomCodec.fieldsOffset(), randomCodec.fieldsLength());
            for (int i = 0; i < type.fieldCount(); i++)
            {
                final FieldDef field = type.field(i);
                if (field.type().isNumeric())
                {
                    assertTrue(field.contains(reader.getInt(i)));
                }
                else
                {
                    assertTrue(reader.length(i) <= field.max());
                }
                if (field.type() == FieldType.TEXT)
                {
                    reader.getText(i);
                }
            }
        }
    }

    private Object[] randomMessage(final SplittableRandom random, final MessageType type)
    {
        final Object[] sent = new Object[type.fieldCount()];
        encoder.begin(type);
        for (int i = 0; i < sent.length; i++)
        {
            final FieldDef field = type.field(i);
            if (field.type() == FieldType.TEXT)
            {
                final String text = RandomSchemas.text(random, field.max());
                encoder.putText(i, text);
                sent[i] = text;
            }
            else if (field.type() == FieldType.BYTES)
            {
                final byte[] bytes = RandomSchemas.bytes(random, field.max());
                encoder.putBytes(i, bytes, 0, bytes.length);
                sent[i] = bytes;
            }
            else
            {
                final int value = RandomSchemas.value(random, field);
                encoder.putInt(i, value);
                sent[i] = value;
            }
        }
        return sent;
    }

    private void assertReads(final MessageType type, final Object[] sent, final MessageCodec randomCodec)
    {
        assertSame(type, randomCodec.type());
        reader.wrap(type, buffer, randomCodec.fieldsOffset(), randomCodec.fieldsLength());
        for (int i = 0; i < sent.length; i++)
        {
            if (sent[i] instanceof String)
            {
                assertEquals(sent[i], reader.getText(i));
            }
            else if (sent[i] instanceof byte[])
            {
                final byte[] read = new byte[reader.length(i)];
                reader.getBytes(i, read, 0);
                assertArrayEquals((byte[])sent[i], read);
            }
            else
            {
                assertEquals(sent[i], reader.getInt(i));
            }
        }
    }

    private static GameType gameOf(final MessageType type)
    {
        return GameType.builder("g")
            .entitySchema(new EntitySchema(List.of(FieldDef.uint("hp", 1))))
            .message(type)
            .factory(room -> null)
            .build();
    }

    private void assertError(final ClientMessageError expected, final String hex)
    {
        final byte[] bytes = Hex.parse(hex);
        buffer.putBytes(0, bytes);
        assertEquals(expected, codec.validateClient(buffer, 0, bytes.length), hex);
    }

    private byte[] bytes(final int length)
    {
        return Arrays.copyOf(buffer.byteArray(), length);
    }
}
