package io.tickwire.codec.control;

import io.tickwire.api.schema.Direction;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.Mutations;
import io.tickwire.codec.RandomSchemas;
import io.tickwire.codec.WireFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlCodecTest
{
    private static final String TYPE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-";
    private static final String KEY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

    private final ControlCodec codec = new ControlCodec();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ControlCodec.MAX_WELCOME_LENGTH + 16]);

    @Test
    void joinBytesAreTheDocumentedLayout()
    {
        final int length = codec.encode(
            new JoinRequest("ab", JoinRequest.MODE_NAMED, "r", "c", Map.of("k", "v")), buffer, 0);
        assertArrayEquals(new byte[] {0x01, 0, 0, 0, 0, 2, 'a', 'b', 0, 1, 'r', 1, 'c', 1, 1, 'k', 1, 'v'},
            bytes(length));
    }

    @Test
    void noticeBytesAreTheDocumentedLayoutAndCarryU32s()
    {
        final int length = codec.encode(new Notice(Notice.CODE_INPUT_REFUSED, -1, "busy"), buffer, 0);
        assertArrayEquals(new byte[] {0x43, 3, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x0F, 4, 'b', 'u', 's',
            'y'}, bytes(length));
        assertEquals(new Notice(3, -1, "busy"), codec.decode(buffer, 0, length));
        assertRoundTrip(new Notice(Notice.CODE_KICKED, 0, "é".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Notice(1, 0, "x".repeat(129)), buffer, 0));
    }

    @Test
    void refusesToEncodeWhatTheProtocolRefuses()
    {
        assertEncodeRefused(new JoinRequest("Arena", JoinRequest.MODE_ANY, "", "p", Map.of()));
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_NAMED, "", "p", Map.of()));
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_ANY, "r", "p", Map.of()));
        assertEncodeRefused(new JoinRequest("arena", 4, "r", "p", Map.of()));
        assertEncodeRefused(JoinRequest.resume("arena", "", new ResumeToken(1, 2), 0));
        assertThrows(IllegalArgumentException.class,
            () -> new JoinRequest("arena", JoinRequest.MODE_RESUME, "r", "p", Map.of()), "a resume needs its token");
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "x".repeat(33), Map.of()));
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "a\nb", Map.of()));
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "p", Map.of("bad key", "v")));
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "p", Map.of("k", "v".repeat(65))));
        final Map<String, String> nine = new LinkedHashMap<>();
        final Map<String, String> tooLong = new LinkedHashMap<>();
        for (int i = 0; i < 9; i++)
        {
            nine.put("k" + i, "v");
            tooLong.put("k" + i, "v".repeat(60));
        }
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "p", nine));
        tooLong.remove("k8");
        assertEncodeRefused(new JoinRequest("arena", JoinRequest.MODE_ANY, "", "p", tooLong));
        assertEncodeRefused("not a control message");
    }

    @Test
    void rejectsMalformedJoins()
    {
        assertNotNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 0));
        assertNotNull(decode(0x01, 9, 9, 9, 9, 1, 'a', 2, 0, 0, 0));
        assertNull(decode(0x01, 0, 0, 0, 0));
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0), "truncated");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 0, 0), "trailing byte");
        assertNull(decode(0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0), "empty room type");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'A', 1, 0, 0, 0), "room type charset");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, '-', 1, 0, 0, 0), "room type starts with a letter or digit");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 4, 1, 'r', 0, 0), "unknown mode");
        final int[] token = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        assertEquals(JoinRequest.resume("a", "r", new ResumeToken(0x0807060504030201L, 0x100f0e0d0c0b0a09L), 5),
            decode(concat(new int[] {0x01, 0, 0, 0, 0, 1, 'a', 3, 1, 'r', 0, 0}, token, new int[] {5, 0, 0, 0})));
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 3, 1, 'r', 0, 0), "RESUME without its token");
        assertNull(decode(concat(new int[] {0x01, 0, 0, 0, 0, 1, 'a', 3, 1, 'r', 0, 0}, token, new int[] {5, 0, 0})),
            "RESUME with a short message ack");
        assertNull(decode(concat(new int[] {0x01, 0, 0, 0, 0, 1, 'a', 3, 0, 0, 0}, token, new int[] {5, 0, 0, 0})),
            "RESUME without a room");
        assertNull(decode(concat(new int[] {0x01, 0, 0, 0, 0, 1, 'a', 3, 1, 'r', 0, 1, 1, 'k', 0}, token,
            new int[] {5, 0, 0, 0})), "RESUME with options");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
            0, 0, 0, 0), "a token after a join that is not a RESUME");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 0, 0, 0, 0), "NAMED without a room");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 1, 'r', 0, 0), "ANY with a room");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 2, 1, 0xC3, 0, 0), "malformed UTF-8");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 2, 0, 1, 0x07, 0), "control character");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 2, 33, 'r'), "room too long");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 9), "too many options");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 1, 1, ' ', 0), "option key charset");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 1, 0, 0), "empty option key");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 2, 1, 'k', 0, 1, 'k', 0), "duplicate option");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0x7F), "varint overflow");
        assertNull(decode(0x01, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 0x80, 0x00), "varint not in its shortest form");
        assertNull(decode(0x02, 0, 0, 0, 0, 1, 'a', 1, 0, 0, 0), "not a control message");
        final int[] big = new int[257];
        big[0] = 0x01;
        assertNull(decode(big), "over a client frame");
    }

    @Test
    void rejectsMalformedWelcomesAndNotices()
    {
        final Welcome welcome = new Welcome(1, 30, 1, Welcome.NO_ENTITY, "t", "r", 30,
            new EntitySchema(List.of(FieldDef.uint("hp", 255))), InputSchema.EMPTY, List.of(), Map.of(), 1);
        final int length = codec.encode(welcome, buffer, 0);
        assertEquals(welcome, codec.decode(buffer, 0, length));
        assertNull(codec.decode(buffer, 0, length - 1), "truncated");
        assertNull(codec.decode(buffer, 0, length + 1), "trailing byte");
        final Welcome withToken = new Welcome(1, 30, 1, Welcome.NO_ENTITY, "t", "r", 30,
            new EntitySchema(List.of(FieldDef.uint("hp", 255))), InputSchema.EMPTY, List.of(), Map.of(), 0,
            new ResumeToken(-1, 7));
        final int tokenLength = codec.encode(withToken, buffer, 0);
        assertEquals(length + ResumeToken.LENGTH, tokenLength);
        assertEquals(withToken, codec.decode(buffer, 0, tokenLength));
        buffer.putByte(length - 1, (byte)8);
        assertNull(codec.decode(buffer, 0, length + 8), "a token of 8 bytes");
        codec.encode(welcome, buffer, 0);
        buffer.putByte(2, (byte)0);
        assertNull(codec.decode(buffer, 0, length), "tick rate 0");

        assertNull(decode(0x41, 1, 30, 1, 0, 1, 't', 1, 'r', 30, 0, 0, 0, 0, 0, 0), "an entity schema has a field");
        assertNull(decode(0x41, 1, 30, 0, 0, 1, 't', 1, 'r', 30, 1, 1, 'x', 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0),
            "player ids start at 1");
        assertNotNull(decode(0x41, 1, 30, 1, 0, 1, 't', 1, 'r', 30, 1, 1, 'x', 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0));
        assertNull(decode(0x41, 1, 30, 1, 0, 1, 't', 1, 'r', 30, 1, 1, 'x', 9, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0),
            "unknown field type");
        assertNull(decode(0x41, 1, 30, 1, 0, 1, 't', 1, 'r', 30, 1, 1, 'x', 0, 4, 2, 1, 0, 0, 0, 0, 0, 0, 0),
            "min above max");
        assertNull(decode(0x41, 1, 30, 1, 0, 1, 't', 1, 'r', 30, 1, 1, 'x', 0, 0, 2, 1, 0, 3, 0, 0, 0, 0, 0),
            "unknown role");
        assertNull(decode(0x41, 1, 30, 1, 0, 1, 't', 1, 'r', 30, 1, 1, 'x', 0, 0, 2, 1, 0, 0, 0, 2, 1, 1, 'm', 2,
            0, 0, 0, 1, 1, 'm', 2, 0, 0, 0, 0, 0, 0), "duplicate message type");
        assertNull(decode(0x41, 1, 30, 1, 0, 1, 't', 1, 'r', 30, 1, 1, 'x', 0, 0, 2, 1, 0, 0, 0, 1, 1, 1, 'm', 1,
            0, 0, 0, 0, 0, 0), "a client-sendable type needs a rate");
        assertNull(decode(0x43, 0x80), "truncated notice");
        assertNull(decode(0x43, 1, 0, 1, 0x0A), "control character in a notice");
    }

    @Property(tries = 300)
    void randomJoinsRoundTrip(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int mode = random.nextInt(3);
        final String room = mode == JoinRequest.MODE_ANY || (mode == JoinRequest.MODE_CREATE && random.nextBoolean()) ?
            "" : RandomSchemas.text(random, 1 + random.nextInt(WireFormat.MAX_NAME_LENGTH)) + "";
        final Map<String, String> options = new LinkedHashMap<>();
        final int optionCount = random.nextInt(3);
        while (options.size() < optionCount)
        {
            options.put(word(random, KEY_CHARS, 1 + random.nextInt(8)), RandomSchemas.text(random, 20));
        }
        final JoinRequest join = new JoinRequest(word(random, TYPE_CHARS.substring(0, 36), 1) +
            word(random, TYPE_CHARS, random.nextInt(31)), mode, room.isEmpty() && mode == JoinRequest.MODE_NAMED ?
            "r" : room, RandomSchemas.text(random, 32), options);
        final JoinRequest decoded = (JoinRequest)assertRoundTrip(join);
        assertEquals(List.copyOf(options.keySet()), List.copyOf(decoded.options().keySet()), "wire order kept");
    }

    @Property(tries = 300)
    void randomWelcomesRoundTrip(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<MessageType> types = new ArrayList<>();
        final int typeCount = random.nextInt(8) == 0 ? MessageType.MAX_ID : random.nextInt(4);
        for (int id = 1; id <= typeCount; id++)
        {
            types.add(RandomSchemas.messageType(random, id, Direction.values()[random.nextInt(3)]));
        }
        final Map<String, String> metadata = new LinkedHashMap<>();
        final int metadataCount = random.nextInt(WireFormat.MAX_ENTRIES + 1);
        while (metadata.size() < metadataCount)
        {
            metadata.put(RandomSchemas.text(random, random.nextInt(32)) + "k", RandomSchemas.text(random, 64));
        }
        final Welcome welcome = new Welcome(random.nextLong(), 1 + random.nextInt(1024),
            1 + random.nextInt(Integer.MAX_VALUE), random.nextInt(-1, Integer.MAX_VALUE), "type",
            RandomSchemas.text(random, 31) + "r", 1 + random.nextInt(65536), entitySchema(random),
            RandomSchemas.inputSchema(random), types, metadata, random.nextInt(1 << 16));
        final Welcome decoded = (Welcome)assertRoundTrip(welcome);
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(decoded.roomMetadata().keySet()));
    }

    @Property(tries = 500)
    void mutatedWelcomesNeverThrow(@ForAll final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<MessageType> types = List.of(RandomSchemas.messageType(random, 1, Direction.BOTH));
        final Welcome welcome = new Welcome(7, 30, 1, 5, "t", "r", 30, entitySchema(random),
            RandomSchemas.inputSchema(random), types, Map.of("k", "v"), 2);
        final int length = codec.encode(welcome, buffer, 0);
        final int edited = Mutations.mutate(random, buffer, length);
        codec.decode(buffer, 0, edited);
    }

    static EntitySchema entitySchema(final SplittableRandom random)
    {
        final int fieldCount = 1 + random.nextInt(random.nextInt(8) == 0 ? EntitySchema.MAX_FIELDS : 6);
        return RandomSchemas.entitySchema(random, fieldCount);
    }

    private static String word(final SplittableRandom random, final String chars, final int length)
    {
        final StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            word.append(chars.charAt(random.nextInt(chars.length())));
        }
        return word.toString();
    }

    private void assertEncodeRefused(final Object message)
    {
        assertThrows(IllegalArgumentException.class, () -> codec.encode(message, buffer, 0), String.valueOf(message));
    }

    private static int[] concat(final int[]... parts)
    {
        return java.util.stream.Stream.of(parts).flatMapToInt(java.util.Arrays::stream).toArray();
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

    private Object assertRoundTrip(final Object message)
    {
        final int length = codec.encode(message, buffer, 5);
        final Object decoded = codec.decode(buffer, 5, length);
        assertEquals(message, decoded);
        return decoded;
    }

    private byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }
}
