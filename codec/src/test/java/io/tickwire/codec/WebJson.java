package io.tickwire.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldType;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.control.PresenceEntry;
import io.tickwire.codec.control.ResumeToken;
import io.tickwire.codec.control.Welcome;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the vectors the TypeScript SDK's tests read (web/test/vectors/): schemas, message types,
 * WELCOMEs, presence entries and message values as the Java codec gives them. u32 values are written unsigned,
 * u64 values as decimal strings, bytes as lowercase hex.
 */
final class WebJson
{
    static final ObjectMapper MAPPER = new ObjectMapper();

    private WebJson()
    {
    }

    static ObjectNode object()
    {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array()
    {
        return MAPPER.createArrayNode();
    }

    static String hex(final byte[] bytes)
    {
        return HexFormat.of().formatHex(bytes);
    }

    static String hex(final DirectBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return hex(bytes);
    }

    static long u32(final int value)
    {
        return Integer.toUnsignedLong(value);
    }

    static String token(final ResumeToken token)
    {
        if (token == null)
        {
            return "";
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ResumeToken.LENGTH]);
        token.write(buffer, 0);
        return hex(buffer, ResumeToken.LENGTH);
    }

    static ObjectNode field(final FieldDef field)
    {
        return object().put("name", field.name()).put("type", field.type().code()).put("min", field.min())
            .put("max", field.max()).put("stepsPerUnit", field.stepsPerUnit()).put("predictor", field.predictor())
            .put("role", field.role().code());
    }

    static ArrayNode fields(final List<FieldDef> fields)
    {
        final ArrayNode array = array();
        fields.forEach(field -> array.add(field(field)));
        return array;
    }

    static ObjectNode messageType(final MessageType type)
    {
        return object().put("id", type.id()).put("name", type.name()).put("direction", type.direction().code())
            .put("ratePerSecond", type.ratePerSecond()).put("burst", type.burst()).set("fields", fields(type.fields()));
    }

    /** Key/value entries in their wire order, as pairs. */
    static ArrayNode entries(final Map<String, String> entries)
    {
        final ArrayNode array = array();
        entries.forEach((key, value) -> array.add(array().add(key).add(value)));
        return array;
    }

    static ObjectNode welcome(final Welcome welcome)
    {
        final ArrayNode types = array();
        welcome.messageTypes().forEach(type -> types.add(messageType(type)));
        final ObjectNode json = object().put("sessionId", Long.toUnsignedString(welcome.sessionId()))
            .put("tickRateHz", welcome.tickRateHz()).put("playerId", welcome.playerId())
            .put("entityId", welcome.entityId()).put("roomType", welcome.roomType()).put("room", welcome.room())
            .put("historyWindowTicks", welcome.historyWindowTicks());
        json.set("entitySchema", fields(welcome.entitySchema().fields()));
        json.set("inputSchema", fields(welcome.inputSchema().fields()));
        json.set("messageTypes", types);
        json.set("metadata", entries(welcome.roomMetadata()));
        return json.put("presenceCount", welcome.presenceCount()).put("resumeToken", token(welcome.resumeToken()));
    }

    static ObjectNode presence(final int seq, final List<PresenceEntry> entries)
    {
        final ArrayNode array = array();
        for (final PresenceEntry entry : entries)
        {
            array.add(object().put("op", entry.op()).put("playerId", entry.playerId())
                .put("entityId", entry.entityId()).put("name", entry.name()).put("reason", entry.leaveReason())
                .set("metadata", entries(entry.metadata())));
        }
        return object().put("seq", u32(seq)).set("entries", array);
    }

    /**
     * The values of a message as the reader gives them: numbers, text, bytes as hex.
     */
    static ArrayNode messageValues(final MessageReader reader)
    {
        final ArrayNode values = array();
        final MessageType type = reader.type();
        for (int i = 0; i < type.fieldCount(); i++)
        {
            final FieldType fieldType = type.field(i).type();
            if (fieldType.isNumeric())
            {
                values.add(reader.getInt(i));
            }
            else if (fieldType == FieldType.TEXT)
            {
                values.add(reader.getText(i));
            }
            else
            {
                final byte[] bytes = new byte[reader.length(i)];
                reader.getBytes(i, bytes, 0);
                values.add(hex(bytes));
            }
        }
        return values;
    }

    /**
     * Writes an object with one member per line and, for array members, one element per line: a file that diffs
     * well and stays small.
     */
    static String lines(final ObjectNode root)
    {
        final StringBuilder text = new StringBuilder("{\n");
        final List<Map.Entry<String, JsonNode>> members = List.copyOf(root.properties());
        for (int m = 0; m < members.size(); m++)
        {
            final JsonNode value = members.get(m).getValue();
            text.append("  ").append(MAPPER.valueToTree(members.get(m).getKey()).toString()).append(": ");
            if (value.isArray() && !value.isEmpty())
            {
                text.append("[\n");
                for (int i = 0; i < value.size(); i++)
                {
                    text.append("    ").append(value.get(i).toString()).append(i + 1 < value.size() ? ",\n" : "\n");
                }
                text.append("  ]");
            }
            else
            {
                text.append(value.toString());
            }
            text.append(m + 1 < members.size() ? ",\n" : "\n");
        }
        return text.append("}\n").toString();
    }
}
