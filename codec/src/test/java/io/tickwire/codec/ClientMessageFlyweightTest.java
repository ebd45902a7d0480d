package io.tickwire.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientMessageFlyweightTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();

    @Test
    void inputRoundTripsEveryField()
    {
        writeInput(7, 0xFFFF_FFF0, -127, 127, 0xA5);

        message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_LENGTH);
        assertEquals(ClientMessageError.NONE, message.validate());
        assertEquals(WireFormat.TYPE_INPUT, message.type());
        assertEquals(7, message.ack());
        assertEquals(0xFFFF_FFF0, message.inputSeq());
        assertEquals(-127, message.moveX());
        assertEquals(127, message.moveY());
        assertEquals(0xA5, message.buttons());
    }

    @Test
    void inputLayoutIsLittleEndianAtDocumentedOffsets()
    {
        writeInput(0x04030201, 0x08070605, -1, 2, 3);

        final byte[] expected = {0x02, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, (byte)0xFF, 0x02, 0x03};
        final byte[] actual = new byte[expected.length];
        buffer.getBytes(3, actual);
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
    }

    @Test
    void rejectsWhatAHostileClientMightSend()
    {
        assertEquals(ClientMessageError.EMPTY, message.wrap(buffer, 0, 0).validate());
        buffer.putByte(0, WireFormat.TYPE_INPUT);
        assertEquals(ClientMessageError.BAD_LENGTH, message.wrap(buffer, 0, 4).validate());

        writeInput(1, 1, 0, 0, 0);
        assertEquals(ClientMessageError.BAD_LENGTH, message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_LENGTH - 1)
            .validate());
        assertEquals(ClientMessageError.BAD_LENGTH, message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_LENGTH + 1)
            .validate());

        writeInput(1, 1, -128, 0, 0);
        assertEquals(ClientMessageError.BAD_VALUE, message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_LENGTH)
            .validate());

        writeInput(1, Sequence.NONE, 0, 0, 0);
        assertEquals(ClientMessageError.BAD_VALUE, message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_LENGTH)
            .validate());

        buffer.putByte(3, (byte)0x7F);
        assertEquals(ClientMessageError.UNKNOWN_TYPE, message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_LENGTH)
            .validate());

        buffer.putByte(3, WireFormat.TYPE_LEAVE);
        assertEquals(ClientMessageError.NONE, message.wrap(buffer, 3, ClientMessageFlyweight.LEAVE_LENGTH).validate());
        assertEquals(ClientMessageError.BAD_LENGTH, message.wrap(buffer, 3, ClientMessageFlyweight.LEAVE_LENGTH + 1)
            .validate());

        buffer.putByte(3, WireFormat.TYPE_PING);
        assertEquals(ClientMessageError.NONE, message.wrap(buffer, 3, ClientMessageFlyweight.PING_LENGTH).validate());
        assertEquals(ClientMessageError.BAD_LENGTH, message.wrap(buffer, 3, ClientMessageFlyweight.PING_LENGTH - 1)
            .validate());

        buffer.putByte(3, WireFormat.TYPE_JOIN);
        assertEquals(ClientMessageError.BAD_LENGTH, message.wrap(buffer, 3, WireFormat.CLIENT_HEADER_LENGTH)
            .validate());
    }

    private void writeInput(final int ack, final int inputSeq, final int moveX, final int moveY, final int buttons)
    {
        message.wrap(buffer, 3, ClientMessageFlyweight.INPUT_LENGTH)
            .type(WireFormat.TYPE_INPUT)
            .ack(ack)
            .inputSeq(inputSeq)
            .moveX(moveX)
            .moveY(moveY)
            .buttons(buttons);
    }
}
