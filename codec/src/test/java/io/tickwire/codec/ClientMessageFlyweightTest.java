package io.tickwire.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientMessageFlyweightTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();

    @Test
    void headerAndFixedFieldsAreLittleEndianAtDocumentedOffsets()
    {
        message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_VALUES_OFFSET)
            .type(WireFormat.TYPE_INPUT)
            .ack(0x04030201)
            .inputSeq(0x08070605)
            .viewTick(0x0C0B0A09);

        final byte[] expected = {0x02, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C};
        final byte[] actual = new byte[expected.length];
        buffer.getBytes(3, actual);
        assertArrayEquals(expected, actual);
        assertEquals(ClientMessageError.NONE, message.validate());
        assertEquals(0x04030201, message.ack());
        assertEquals(0x08070605, message.inputSeq());
        assertEquals(0x0C0B0A09, message.viewTick());

        message.wrap(buffer, 3, ClientMessageFlyweight.ACK_LENGTH).type(WireFormat.TYPE_ACK).messageAck(-2);
        assertEquals(ClientMessageError.NONE, message.validate());
        assertEquals(-2, message.messageAck());
        assertEquals((byte)0xFE, buffer.getByte(3 + 5));

        message.wrap(buffer, 3, ClientMessageFlyweight.MESSAGE_MIN_LENGTH).type(WireFormat.TYPE_MESSAGE).messageSeq(9);
        assertEquals(9, message.messageSeq());
        assertEquals(9, buffer.getInt(3 + ClientMessageFlyweight.MESSAGE_SEQ_OFFSET, WireFormat.BYTE_ORDER));
        assertEquals(9, ClientMessageFlyweight.MESSAGE_TYPE_OFFSET);

        message.wrap(buffer, 3, ClientMessageFlyweight.PING_LENGTH).type(WireFormat.TYPE_PING).pingTimestamp(-5L);
        assertEquals(-5L, message.pingTimestamp());
    }

    @Test
    void lengthsEachTypeAllows()
    {
        assertEquals(ClientMessageError.EMPTY, message.wrap(buffer, 0, 0).validate());

        assertLengths(WireFormat.TYPE_LEAVE, 5, 5);
        assertLengths(WireFormat.TYPE_PING, 13, 13);
        assertLengths(WireFormat.TYPE_ACK, 9, 9);
        assertLengths(WireFormat.TYPE_MESSAGE, 10, WireFormat.MAX_CLIENT_MESSAGE_LENGTH);
        assertLengths(WireFormat.TYPE_JOIN, 6, WireFormat.MAX_CLIENT_MESSAGE_LENGTH);
        message.wrap(buffer, 0, 13).inputSeq(1);
        assertLengths(WireFormat.TYPE_INPUT, 13, WireFormat.MAX_CLIENT_MESSAGE_LENGTH);
    }

    @Test
    void rejectsAnInputSequenceOfZeroAndUnknownTypes()
    {
        message.wrap(buffer, 0, 13).type(WireFormat.TYPE_INPUT).inputSeq(Sequence.NONE);
        assertEquals(ClientMessageError.BAD_VALUE, message.validate());

        for (final byte type : new byte[] {0x00, 0x07, 0x41, 0x42, 0x45, 0x46, (byte)0xFF})
        {
            message.wrap(buffer, 0, 13).type(type);
            assertEquals(ClientMessageError.UNKNOWN_TYPE, message.validate(), "type " + type);
        }
    }

    private void assertLengths(final byte type, final int min, final int max)
    {
        for (int length = 1; length <= WireFormat.MAX_CLIENT_MESSAGE_LENGTH + 1; length++)
        {
            message.wrap(buffer, 0, length);
            buffer.putByte(0, type);
            final ClientMessageError expected = length >= min && length <= max ?
                ClientMessageError.NONE : ClientMessageError.BAD_LENGTH;
            assertEquals(expected, message.validate(), "type " + type + " length " + length);
        }
    }
}
