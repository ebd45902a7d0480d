package io.tickwire.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickwire.api.GameType;
import io.tickwire.api.schema.Direction;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.PresenceDecoder;
import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import io.tickwire.testsupport.CommittedVectors;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes, with this codec, the vectors the TypeScript SDK's tests decode and encode (web/test/vectors/):
 * {@code golden.json}, every golden vector with the values Java decodes from it, and {@code random.json}, a seeded
 * random corpus of snapshot histories, INPUTs, MESSAGEs both ways, WELCOMEs and PRESENCE batches. By default it
 * regenerates both in memory and fails when they differ from the committed files, so the SDK's tests and this codec
 * cannot drift; run with {@code -Dtickwire.writeVectors=true} to rewrite them after a deliberate change.
 */
class WebVectorsTest
{
    private static final long SEED = 0x7ec9_3a11_5eedL;
    private static final Path VECTORS = CommittedVectors.directory("../web/test/vectors");
    private static final String[] SNAPSHOTS = {"full-snapshot.hex", "delta-snapshot.hex", "message-ack-snapshot.hex"};

    private final ControlCodec controlCodec = new ControlCodec();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ControlCodec.MAX_WELCOME_LENGTH]);

    @Test
    void goldenVectorsAsTheSdkSeesThem() throws IOException
    {
        CommittedVectors.checkOrWrite(VECTORS.resolve("golden.json"), golden());
    }

    @Test
    void randomCorpusAsTheSdkSeesIt() throws IOException
    {
        CommittedVectors.checkOrWrite(VECTORS.resolve("random.json"), random());
    }

    private String golden()
    {
        final Map<String, byte[]> files = Hex.readDirectory("/golden");
        final ObjectNode root = WebJson.object();
        final ObjectNode hex = root.putObject("hex");
        files.forEach((name, bytes) -> hex.put(name, WebJson.hex(bytes)));
        root.set("join", join(files.get("join.hex")));
        root.set("resumeJoin", join(files.get("resume-join.hex")));
        final byte[] welcomeBytes = files.get("welcome.hex");
        root.set("welcome", WebJson.welcome((Welcome)controlCodec.decode(
            new UnsafeBuffer(welcomeBytes), 0, welcomeBytes.length)));
        root.set("presenceJoin", presence(files.get("presence-join.hex")));
        root.set("presenceLeave", presence(files.get("presence-leave.hex")));
        root.set("input", input(files.get("input.hex")));

        final GameType arena = GameType.builder("arena").entitySchema(GoldenVectorsTest.ARENA_SCHEMA)
            .inputSchema(GoldenVectorsTest.ARENA_INPUT).message(GoldenVectorsTest.CHAT)
            .message(GoldenVectorsTest.KILLED).factory(room -> null).build();
        final MessageCodec messages = new MessageCodec(arena);
        final byte[] chat = files.get("client-message.hex");
        assertEquals(ClientMessageError.NONE, messages.validateClient(new UnsafeBuffer(chat), 0, chat.length));
        root.set("clientMessage", messageJson(messages, new UnsafeBuffer(chat))
            .put("ack", WebJson.u32(new ClientMessageFlyweight().wrap(new UnsafeBuffer(chat), 0, chat.length).ack())));
        final byte[] killed = files.get("room-message.hex");
        assertTrue(messages.validateRoom(new UnsafeBuffer(killed), 0, killed.length));
        root.set("roomMessage", messageJson(messages, new UnsafeBuffer(killed)));

        final byte[] ack = files.get("ack.hex");
        final ClientMessageFlyweight ackFlyweight = new ClientMessageFlyweight().wrap(new UnsafeBuffer(ack), 0, 9);
        assertEquals(ClientMessageError.NONE, ackFlyweight.validate());
        root.set("ack", WebJson.object().put("ack", WebJson.u32(ackFlyweight.ack()))
            .put("messageAck", WebJson.u32(ackFlyweight.messageAck())));
        root.set("snapshots", goldenSnapshots(files));

        final ViewChecksum checksum = new ViewChecksum().reset();
        checksum.addEntity(7, new int[] {100, -3}, 0, 2);
        root.set("checksumExample", WebJson.object().put("id", 7).put("checksum", WebJson.u32(checksum.value()))
            .set("values", WebJson.array().add(100).add(-3)));
        return WebJson.lines(root);
    }

    private ObjectNode join(final byte[] bytes)
    {
        final JoinRequest join = (JoinRequest)controlCodec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
        assertNotNull(join);
        final ObjectNode json = WebJson.object().put("roomType", join.roomType()).put("mode", join.mode())
            .put("room", join.room()).put("player", join.player());
        json.set("options", WebJson.entries(join.options()));
        if (join.mode() == JoinRequest.MODE_RESUME)
        {
            json.put("resumeToken", WebJson.token(join.resumeToken()))
                .put("messageAck", WebJson.u32(join.messageAck()));
        }
        return json;
    }

    private static ObjectNode presence(final byte[] bytes)
    {
        final PresenceDecoder decoder = new PresenceDecoder();
        final List<PresenceEntry> entries = decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length);
        assertNotNull(entries);
        return WebJson.presence(decoder.seq(), entries);
    }

    private static ObjectNode input(final byte[] bytes)
    {
        final UnsafeBuffer input = new UnsafeBuffer(bytes);
        final ClientMessageFlyweight flyweight = new ClientMessageFlyweight().wrap(input, 0, bytes.length);
        final int[] values = new int[GoldenVectorsTest.ARENA_INPUT.fieldCount()];
        assertEquals(ClientMessageError.NONE,
            new InputCodec(GoldenVectorsTest.ARENA_INPUT).decode(input, 0, bytes.length, values));
        final ObjectNode json = WebJson.object().put("ack", WebJson.u32(flyweight.ack()))
            .put("inputSeq", WebJson.u32(flyweight.inputSeq())).put("viewTick", WebJson.u32(flyweight.viewTick()));
        final ArrayNode array = json.putArray("values");
        for (final int value : values)
        {
            array.add(value);
        }
        return json;
    }

    private static ObjectNode messageJson(final MessageCodec codec, final UnsafeBuffer message)
    {
        final MessageReader reader = new MessageReader();
        reader.wrap(codec.type(), message, codec.fieldsOffset(), codec.fieldsLength());
        final ObjectNode json = WebJson.object().put("seq", WebJson.u32(codec.seq())).put("typeId", codec.type().id());
        return json.set("values", WebJson.messageValues(reader));
    }

    private static ArrayNode goldenSnapshots(final Map<String, byte[]> files)
    {
        final SnapshotDecoder decoder = new SnapshotDecoder(GoldenVectorsTest.ARENA_SCHEMA, 30, 64);
        final SnapshotHeaderFlyweight header = new SnapshotHeaderFlyweight();
        final ArrayNode snapshots = WebJson.array();
        for (final String name : SNAPSHOTS)
        {
            final byte[] bytes = files.get(name);
            assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length));
            header.wrap(new UnsafeBuffer(bytes), 0);
            final ObjectNode json = WebJson.object().put("file", name).put("tick", WebJson.u32(decoder.tick()))
                .put("seq", WebJson.u32(decoder.ackSeq())).put("baselineSeq", WebJson.u32(header.baselineSeq()))
                .put("lastInputSeq", WebJson.u32(decoder.lastInputSeq()))
                .put("messageAck", WebJson.u32(decoder.messageAck()))
                .put("checksum", WebJson.u32(decoder.viewChecksum()));
            final ArrayNode ids = json.putArray("ids");
            final ArrayNode values = json.putArray("values");
            for (int e = 0; e < decoder.entityCount(); e++)
            {
                ids.add(decoder.entityId(e));
                final ArrayNode row = values.addArray();
                for (int i = 0; i < GoldenVectorsTest.ARENA_SCHEMA.fieldCount(); i++)
                {
                    row.add(decoder.value(e, i));
                }
            }
            snapshots.add(json);
        }
        return snapshots;
    }

    private String random()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final ObjectNode root = WebJson.object().put("seed", SEED);
        final ArrayNode histories = root.putArray("snapshotHistories");
        for (int i = 0; i < 16; i++)
        {
            histories.add(new WebSnapshotHistories(random).history(8 + random.nextInt(14)));
        }
        final ArrayNode inputs = root.putArray("inputs");
        for (int i = 0; i < 40; i++)
        {
            inputs.add(randomInput(random));
        }
        final ArrayNode messages = root.putArray("messages");
        for (int i = 0; i < 24; i++)
        {
            messages.add(randomMessage(random));
        }
        final ArrayNode welcomes = root.putArray("welcomes");
        for (int i = 0; i < 8; i++)
        {
            welcomes.add(randomWelcome(random));
        }
        final ArrayNode presences = root.putArray("presences");
        for (int i = 0; i < 10; i++)
        {
            presences.add(randomPresence(random));
        }
        return WebJson.lines(root);
    }

    private ObjectNode randomInput(final SplittableRandom random)
    {
        final InputSchema schema = RandomSchemas.inputSchema(random);
        final int[] values = new int[schema.fieldCount()];
        final ObjectNode json = WebJson.object();
        json.set("inputSchema", WebJson.fields(schema.fields()));
        final ArrayNode array = WebJson.array();
        for (int i = 0; i < values.length; i++)
        {
            values[i] = RandomSchemas.value(random, schema.field(i));
            array.add(values[i]);
        }
        final int ack = random.nextInt();
        final int inputSeq = random.nextInt(3) == 0 ? -1 - random.nextInt(3) : 1 + random.nextInt(Integer.MAX_VALUE);
        final int viewTick = random.nextInt();
        final int length = new InputCodec(schema).encode(buffer, 0, ack, inputSeq, viewTick, values);
        json.put("ack", WebJson.u32(ack)).put("inputSeq", WebJson.u32(inputSeq)).put("viewTick", WebJson.u32(viewTick));
        return json.put("hex", WebJson.hex(buffer, length)).set("values", array);
    }

    private ObjectNode randomMessage(final SplittableRandom random)
    {
        final Direction direction = Direction.values()[random.nextInt(3)];
        final MessageType type = RandomSchemas.messageType(random, 1 + random.nextInt(MessageType.MAX_ID), direction);
        final MessageEncoder encoder = new MessageEncoder().begin(type);
        final ArrayNode values = WebJson.array();
        for (int i = 0; i < type.fieldCount(); i++)
        {
            final FieldDef field = type.field(i);
            if (field.type().isNumeric())
            {
                final int value = RandomSchemas.value(random, field);
                encoder.putInt(i, value);
                values.add(value);
            }
            else if (field.type() == FieldType.TEXT)
            {
                final String text = RandomSchemas.text(random, field.max());
                encoder.putText(i, text);
                values.add(text);
            }
            else
            {
                final byte[] bytes = RandomSchemas.bytes(random, field.max());
                encoder.putBytes(i, bytes, 0, bytes.length);
                values.add(WebJson.hex(bytes));
            }
        }
        final ObjectNode json = WebJson.object();
        json.set("type", WebJson.messageType(type));
        json.set("values", values);
        final int ack = random.nextInt();
        final int seq = random.nextInt(3) == 0 ? -1 - random.nextInt(3) : 1 + random.nextInt(Integer.MAX_VALUE);
        json.put("ack", WebJson.u32(ack)).put("seq", WebJson.u32(seq));
        if (direction.clientMaySend())
        {
            json.put("clientHex", WebJson.hex(buffer, encoder.encodeClientMessage(buffer, 0, ack, seq)));
        }
        if (direction.roomMaySend())
        {
            json.put("roomHex", WebJson.hex(buffer, encoder.encodeRoomMessage(buffer, 0, seq)));
        }
        return json;
    }

    private ObjectNode randomWelcome(final SplittableRandom random)
    {
        final EntitySchema entitySchema = WebSnapshotHistories.entitySchema(random);
        final List<MessageType> types = new ArrayList<>();
        final int typeCount = random.nextInt(5);
        for (int i = 0; i < typeCount; i++)
        {
            final int id = random.nextBoolean() ? i + 1 : MessageType.MAX_ID - i;
            types.add(RandomSchemas.messageType(random, id, Direction.values()[random.nextInt(3)]));
        }
        final Welcome welcome = new Welcome(random.nextLong(), 1 + random.nextInt(1024),
            1 + random.nextInt(Integer.MAX_VALUE), -1 + random.nextInt(Integer.MAX_VALUE), "game-" + random.nextInt(99),
            nonEmptyText(random, 32), 1 + random.nextInt(65536), entitySchema, RandomSchemas.inputSchema(random),
            types, randomEntries(random), random.nextInt(65537),
            random.nextBoolean() ? null : new ResumeToken(random.nextLong(), random.nextLong()));
        final int length = controlCodec.encode(welcome, buffer, 0);
        final Welcome decoded = (Welcome)controlCodec.decode(buffer, 0, length);
        assertNotNull(decoded);
        return WebJson.object().put("hex", WebJson.hex(buffer, length)).set("welcome", WebJson.welcome(decoded));
    }

    private ObjectNode randomPresence(final SplittableRandom random)
    {
        final PresenceEncoder encoder = new PresenceEncoder();
        final int seq = random.nextInt(4) == 0 ? -1 - random.nextInt(3) : 1 + random.nextInt(1000);
        int position = encoder.begin(buffer, 0, seq);
        final int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++)
        {
            final int playerId = random.nextBoolean() ? 1 + random.nextInt(100) : Integer.MAX_VALUE - random.nextInt(3);
            if (random.nextInt(3) == 0)
            {
                position = encoder.putLeave(buffer, position, playerId, 1 + random.nextInt(6));
                continue;
            }
            final Map<String, String> metadata = randomEntries(random);
            position = encoder.putJoin(buffer, position, random.nextBoolean() ? PresenceEntry.OP_JOIN :
                PresenceEntry.OP_UPDATE, playerId, -1 + random.nextInt(Integer.MAX_VALUE),
                RandomSchemas.text(random, 32), metadata.keySet().toArray(new String[0]),
                metadata.values().toArray(new String[0]), metadata.size());
        }
        final PresenceDecoder decoder = new PresenceDecoder();
        final List<PresenceEntry> entries = decoder.decode(buffer, 0, position);
        assertNotNull(entries);
        return WebJson.presence(decoder.seq(), entries).put("hex", WebJson.hex(buffer, position));
    }

    private static Map<String, String> randomEntries(final SplittableRandom random)
    {
        final Map<String, String> entries = new LinkedHashMap<>();
        final int count = random.nextInt(9);
        while (entries.size() < count)
        {
            entries.put(nonEmptyText(random, 32), RandomSchemas.text(random, 64));
        }
        return entries;
    }

    private static String nonEmptyText(final SplittableRandom random, final int maxBytes)
    {
        final String text = RandomSchemas.text(random, maxBytes);
        return text.isEmpty() ? "k" : text;
    }
}
