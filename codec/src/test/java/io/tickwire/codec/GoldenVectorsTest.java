package io.tickwire.codec;

import io.tickwire.api.LeaveReason;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.PresenceDecoder;
import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The golden vectors of docs/PROTOCOL.md, checked in both directions: encoding the documented messages gives the
 * bytes in {@code src/test/resources/golden/*.hex}, and decoding those bytes gives the documented messages and
 * views. A client author in any language can test against the same files. They tell one session: JOIN, WELCOME,
 * the initial PRESENCE, snapshots, an INPUT, a chat MESSAGE each way, a room MESSAGE, a PRESENCE leave and the
 * client's ACK.
 * <p>
 * Run with {@code -Dgolden.write=true} to rewrite the files after a deliberate protocol change.
 */
class GoldenVectorsTest
{
    /** The arena's schema at its defaults: 1000 x 1000 world, 30 Hz, players at 120 units/s. */
    static final EntitySchema ARENA_SCHEMA = new EntitySchema(List.of(
        FieldDef.fixed("x", 0, 16000, 16, 2, FieldRole.POSITION_X),
        FieldDef.fixed("y", 0, 16000, 16, 3, FieldRole.POSITION_Y),
        FieldDef.fixed("vx", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.fixed("vy", -64, 64, 16, FieldDef.NO_PREDICTOR, FieldRole.NONE),
        FieldDef.uint("hp", 255),
        FieldDef.enumeration("kind", 2)));

    /** The arena's input schema: a move direction on two axes and a button bit set. */
    static final InputSchema ARENA_INPUT = new InputSchema(List.of(
        FieldDef.integer("moveX", -127, 127),
        FieldDef.integer("moveY", -127, 127),
        FieldDef.uint("buttons", 255)));

    static final MessageType CHAT = MessageType.both(1, "chat", 5, 10, FieldDef.text("text", 64));
    static final MessageType KILLED = MessageType.toClients(
        2, "killed", FieldDef.uint("killer", 65535), FieldDef.uint("victim", 65535));

    private static final JoinRequest JOIN =
        new JoinRequest("arena", JoinRequest.MODE_NAMED, "demo", "ann", Map.of("team", "red"));

    /** The token of the WELCOME below: the bytes 00 01 02 .. 0f. */
    private static final ResumeToken TOKEN = new ResumeToken(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    private static final Welcome WELCOME = new Welcome(7, 30, 2, 201, "arena", "demo", 30, ARENA_SCHEMA, ARENA_INPUT,
        List.of(CHAT, KILLED), Map.of("map", "dust"), 2, TOKEN);

    private static final JoinRequest RESUME = JoinRequest.resume("arena", "demo", TOKEN, 3);

    private static final PresenceEntry BOB = new PresenceEntry(
        PresenceEntry.OP_JOIN, 1, 17, "bob", Map.of("team", "blue"), 0);
    private static final PresenceEntry ANN = new PresenceEntry(
        PresenceEntry.OP_JOIN, 2, 201, "ann", Map.of("team", "red"), 0);
    private static final PresenceEntry BOB_LEFT = new PresenceEntry(
        PresenceEntry.OP_LEAVE, 1, Welcome.NO_ENTITY, "", Map.of(), LeaveReason.DISCONNECTED.code());

    private static final int[] NPC_1_T100 = {1600, 3200, 32, 0, 200, 0};
    private static final int[] NPC_5_T100 = {8000, 8000, 0, -32, 90, 0};
    private static final int[] PLAYER_201_T100 = {4000, 4000, 0, 0, 100, 1};

    private static final int[] NPC_1_T103 = {1696, 3200, 32, 0, 200, 0};
    private static final int[] NPC_5_T103 = {7970, 7904, -23, -22, 90, 0};
    private static final int[] NPC_9_T103 = {4100, 4050, 0, 32, 17, 0};

    private static final int[] NPC_1_T104 = {1728, 3200, 32, 0, 200, 0};
    private static final int[] NPC_5_T104 = {7947, 7882, -23, -22, 90, 0};
    private static final int[] NPC_9_T104 = {4100, 4082, 0, 32, 12, 0};

    private final ControlCodec controlCodec = new ControlCodec();
    private final SnapshotEncoder encoder = new SnapshotEncoder(ARENA_SCHEMA);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);

    @Test
    void joinANamedRoomWithAnOption()
    {
        check("join.hex", bytes(controlCodec.encode(JOIN, buffer, 0)));
        final byte[] golden = read("join.hex");
        assertEquals(JOIN, controlCodec.decode(new UnsafeBuffer(golden), 0, golden.length));
    }

    @Test
    void resumeWithTheTokenOfTheWelcome()
    {
        check("resume-join.hex", bytes(controlCodec.encode(RESUME, buffer, 0)));
        final byte[] golden = read("resume-join.hex");
        assertEquals(RESUME, controlCodec.decode(new UnsafeBuffer(golden), 0, golden.length));
    }

    @Test
    void welcomeWithTheArenaSchemasMessageTypesAndMetadata()
    {
        check("welcome.hex", bytes(controlCodec.encode(WELCOME, buffer, 0)));
        final byte[] golden = read("welcome.hex");
        assertEquals(WELCOME, controlCodec.decode(new UnsafeBuffer(golden), 0, golden.length));
    }

    @Test
    void initialPresenceThenALeave()
    {
        final PresenceEncoder presence = new PresenceEncoder();
        int position = presence.begin(buffer, 0, 1);
        position = presence.putJoin(buffer, position, PresenceEntry.OP_JOIN, 1, 17, "bob",
            new String[] {"team"}, new String[] {"blue"}, 1);
        position = presence.putJoin(buffer, position, PresenceEntry.OP_JOIN, 2, 201, "ann",
            new String[] {"team"}, new String[] {"red"}, 1);
        check("presence-join.hex", bytes(position));
        check("presence-leave.hex",
            bytes(presence.putLeave(buffer, presence.begin(buffer, 0, 3), 1, LeaveReason.DISCONNECTED.code())));

        final PresenceDecoder decoder = new PresenceDecoder();
        final byte[] joins = read("presence-join.hex");
        assertEquals(List.of(BOB, ANN), decoder.decode(new UnsafeBuffer(joins), 0, joins.length));
        assertEquals(1, decoder.seq());
        final byte[] leave = read("presence-leave.hex");
        assertEquals(List.of(BOB_LEFT), decoder.decode(new UnsafeBuffer(leave), 0, leave.length));
        assertEquals(3, decoder.seq());
    }

    @Test
    void inputInTheArenaSchema()
    {
        final InputCodec codec = new InputCodec(ARENA_INPUT);
        check("input.hex", bytes(codec.encode(buffer, 0, 4, 12, 98, new int[] {-1, 127, 3})));
        final byte[] golden = read("input.hex");
        final int[] values = new int[3];
        final UnsafeBuffer input = new UnsafeBuffer(golden);
        final ClientMessageFlyweight flyweight = new ClientMessageFlyweight().wrap(input, 0, golden.length);
        assertEquals(ClientMessageError.NONE, flyweight.validate());
        assertEquals(4, flyweight.ack());
        assertEquals(12, flyweight.inputSeq());
        assertEquals(98, flyweight.viewTick());
        assertEquals(ClientMessageError.NONE, codec.decode(input, 0, golden.length, values));
        assertArrayEquals(new int[] {-1, 127, 3}, values);
    }

    @Test
    void chatFromTheClientAndKilledFromTheRoom()
    {
        final MessageEncoder encoder = new MessageEncoder();
        check("client-message.hex", bytes(encoder.begin(CHAT).putText(0, "gg").encodeClientMessage(buffer, 0, 4, 1)));
        check("room-message.hex",
            bytes(encoder.begin(KILLED).putInt(0, 1).putInt(1, 300).encodeRoomMessage(buffer, 0, 2)));

        final MessageCodec codec = new MessageCodec(io.tickwire.api.GameType.builder("arena")
            .entitySchema(ARENA_SCHEMA).inputSchema(ARENA_INPUT).message(CHAT).message(KILLED)
            .factory(room -> null).build());
        final MessageReader reader = new MessageReader();
        final byte[] chat = read("client-message.hex");
        final UnsafeBuffer chatBuffer = new UnsafeBuffer(chat);
        assertEquals(ClientMessageError.NONE, codec.validateClient(chatBuffer, 0, chat.length));
        assertEquals(1, codec.seq());
        reader.wrap(codec.type(), chatBuffer, codec.fieldsOffset(), codec.fieldsLength());
        assertEquals("gg", reader.getText(0));
        assertEquals(4, new ClientMessageFlyweight().wrap(chatBuffer, 0, chat.length).ack());

        final byte[] killed = read("room-message.hex");
        final UnsafeBuffer killedBuffer = new UnsafeBuffer(killed);
        assertEquals(true, codec.validateRoom(killedBuffer, 0, killed.length));
        assertEquals(2, codec.seq());
        reader.wrap(codec.type(), killedBuffer, codec.fieldsOffset(), codec.fieldsLength());
        assertEquals(KILLED, reader.type());
        assertEquals(1, reader.getInt(0));
        assertEquals(300, reader.getInt(1));
    }

    @Test
    void ackOfTheStream()
    {
        final ClientMessageFlyweight flyweight = new ClientMessageFlyweight();
        flyweight.wrap(buffer, 0, ClientMessageFlyweight.ACK_LENGTH).type(WireFormat.TYPE_ACK).ack(5).messageAck(3);
        check("ack.hex", bytes(ClientMessageFlyweight.ACK_LENGTH));
        final byte[] golden = read("ack.hex");
        flyweight.wrap(new UnsafeBuffer(golden), 0, golden.length);
        assertEquals(ClientMessageError.NONE, flyweight.validate());
        assertEquals(WireFormat.TYPE_ACK, flyweight.type());
        assertEquals(5, flyweight.ack());
        assertEquals(3, flyweight.messageAck());
    }

    @Test
    void deltaCarryingTheMessageAck()
    {
        encodeFull();
        check("message-ack-snapshot.hex", bytes(encodeWithMessageAck()));

        final SnapshotDecoder decoder = new SnapshotDecoder(ARENA_SCHEMA, 30, 64);
        for (final String name : new String[] {"full-snapshot.hex", "delta-snapshot.hex", "message-ack-snapshot.hex"})
        {
            final byte[] golden = read(name);
            assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(golden), 0, golden.length));
        }
        assertView(decoder, new int[] {1, 5, 9}, NPC_1_T104, NPC_5_T104, NPC_9_T104);
        assertEquals(5, decoder.ackSeq());
        assertEquals(104, decoder.tick());
        assertEquals(4, decoder.lastInputSeq());
        assertEquals(1, decoder.messageAck());
        assertEquals(0, decoder.checksumMismatches());
    }

    @Test
    void fullSnapshotThenDeltaWithEntersChangesAndLeaves()
    {
        check("full-snapshot.hex", bytes(encodeFull()));
        check("delta-snapshot.hex", bytes(encodeDelta()));

        final SnapshotDecoder decoder = new SnapshotDecoder(ARENA_SCHEMA, 30, 64);
        final byte[] full = read("full-snapshot.hex");
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(full), 0, full.length));
        assertView(decoder, new int[] {1, 5, 201}, NPC_1_T100, NPC_5_T100, PLAYER_201_T100);

        final byte[] delta = read("delta-snapshot.hex");
        assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(delta), 0, delta.length));
        assertView(decoder, new int[] {1, 5, 9}, NPC_1_T103, NPC_5_T103, NPC_9_T103);
        assertEquals(4, decoder.ackSeq());
        assertEquals(103, decoder.tick());
        assertEquals(3, decoder.lastInputSeq());
        assertEquals(0, decoder.checksumMismatches());
        assertEquals(Sequence.NONE, decoder.messageAck());
    }

    private int encodeFull()
    {
        encoder.begin(buffer, 0, 100, 1, Sequence.NONE, 0, 0, true, Sequence.NONE);
        encoder.enter(1, NPC_1_T100, 0);
        encoder.enter(5, NPC_5_T100, 0);
        encoder.enter(201, PLAYER_201_T100, 0);
        return encoder.finish();
    }

    private int encodeWithMessageAck()
    {
        encoder.begin(buffer, 0, 104, 5, 4, 103, 4, true, 1);
        encoder.update(1, NPC_1_T104, 0, NPC_1_T103, 0);
        encoder.update(5, NPC_5_T104, 0, NPC_5_T103, 0);
        encoder.update(9, NPC_9_T104, 0, NPC_9_T103, 0);
        return encoder.finish();
    }

    private int encodeDelta()
    {
        encoder.begin(buffer, 0, 103, 4, 1, 100, 3, true, Sequence.NONE);
        encoder.update(1, NPC_1_T103, 0, NPC_1_T100, 0);
        encoder.update(5, NPC_5_T103, 0, NPC_5_T100, 0);
        encoder.enter(9, NPC_9_T103, 0);
        encoder.remove(201);
        return encoder.finish();
    }

    private static void assertView(final SnapshotDecoder decoder, final int[] ids, final int[]... values)
    {
        assertEquals(ids.length, decoder.entityCount());
        for (int i = 0; i < ids.length; i++)
        {
            assertEquals(ids[i], decoder.entityId(i));
            for (int f = 0; f < values[i].length; f++)
            {
                assertEquals(values[i][f], decoder.value(i, f), "entity " + ids[i] + " field " + f);
            }
        }
    }

    private byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static void check(final String name, final byte[] encoded)
    {
        if (Boolean.getBoolean("golden.write"))
        {
            write(name, encoded);
        }
        assertArrayEquals(read(name), encoded, name);
    }

    /**
     * Reads a hex file: pairs of hex digits separated by white space; '#' starts a comment to the end of line.
     */
    static byte[] read(final String name)
    {
        return Hex.readResource("/golden/" + name);
    }

    private static void write(final String name, final byte[] bytes)
    {
        final StringBuilder hex = new StringBuilder("# Tickwire protocol v2 golden vector: see docs/PROTOCOL.md\n");
        for (int i = 0; i < bytes.length; i++)
        {
            hex.append(String.format("%02x", bytes[i] & 0xFF)).append((i % 16 == 15) ? "\n" : " ");
        }
        try
        {
            Files.writeString(Path.of("src/test/resources/golden", name), hex.toString().trim() + "\n");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
