package io.tickwire.codec.control;

import io.tickwire.codec.WireFormat;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlCodecTest
{
    private final ControlCodec codec = new ControlCodec();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @Test
    void roundTripsEveryControlMessage()
    {
        assertRoundTrip(new JoinRequest("arena-3", "bot-17"));
        assertRoundTrip(new JoinRequest(JoinRequest.ANY_ROOM, "Zoë"));
        assertRoundTrip(new Welcome(Long.MAX_VALUE, 30, 201, "arena-3", 30, new EntitySchema(List.of(
            FieldDef.fixed("x", 0, 16000, 16, 2, FieldRole.POSITION_X),
            FieldDef.fixed("y", 0, 16000, 16, FieldDef.NO_PREDICTOR, FieldRole.POSITION_Y),
            FieldDef.integer("vx", -64, 64),
            FieldDef.enumeration("kind", 3)))));
        assertRoundTrip(new Notice(Notice.CODE_INPUT_REFUSED, 77, "server busy"));
    }

    @Test
    void joinBytesAreTheDocumentedLayout()
    {
        final int length = codec.encode(new JoinRequest("ab", "c"), buffer, 0);
        final byte[] actual = new byte[length];
        buffer.getBytes(0, actual);
        assertArrayEquals(new byte[] {0x01, 0, 0, 0, 0, 2, 'a', 'b', 1, 'c'}, actual);
    }

    @Test
    void welcomeBytesAreTheDocumentedLayout()
    {
        final EntitySchema schema = new EntitySchema(List.of(FieldDef.uint("hp", 255)));
        final int length = codec.encode(new Welcome(300, 30, 5, "r", 30, schema), buffer, 0);
        final byte[] actual = new byte[length];
        buffer.getBytes(0, actual);
        assertArrayEquals(new byte[] {
            0x41, (byte)0xAC, 0x02, 30, 5, 1, 'r', 30,
            1, 2, 'h', 'p', 0, 0, (byte)0xFE, 0x03, 1, 0, 0}, actual);
    }

    @Test
    void refusesToEncodeNamesLongerThanTheLimit()
    {
        final String longName = "x".repeat(WireFormat.MAX_NAME_LENGTH + 1);
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new JoinRequest(longName, "p"), buffer, 0));
    }

    @Test
    void rejectsMalformedJoins()
    {
        assertNull(decode(0x01, 0, 0, 0, 0));
        assertNull(decode(0x01, 0, 0, 0, 0, 2, 'a'));
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 'b', 9));
        assertNull(decode(0x01, 0, 0, 0, 0, 40, 'a'));
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 0xC3, 1, 'b'));
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 0x07, 1, 'b'));
        assertNull(decode(0x01, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F));
        assertNull(decode(0x02, 0, 0, 0, 0, 1, 'a', 1, 'b'));
    }

    @Property(tries = 2000)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 80) final byte[] bytes)
    {
        final UnsafeBuffer input = new UnsafeBuffer(bytes);
        codec.decode(input, 0, bytes.length);
    }

    private Object decode(final int... bytes)
    {
        final UnsafeBuffer input = new UnsafeBuffer(new byte[bytes.length]);
        for (int i = 0; i < bytes.length; i++)
        {
            input.putByte(i, (byte)bytes[i]);
        }
        return codec.decode(input, 0, bytes.length);
    }

    private void assertRoundTrip(final Object message)
    {
        final int length = codec.encode(message, buffer, 5);
        assertEquals(message, codec.decode(buffer, 5, length));
    }
}
