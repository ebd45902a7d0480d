package io.tickwire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.api.GameType;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.control.Welcome;
import io.tickwire.sim.GameCatalog;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in demo bots against a live server with room inspection on: they fill both demo rooms, walk (seen
 * through {@code GET /rooms/demo}), answer a chat line that mentions them, and leave when closed.
 */
class DemoBotsLiveTest
{
    private static final int BOTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void demoBotsPlayInBothRoomsAnswerChatAreSeenMovingAndLeaveWhenClosed() throws Exception
    {
        final GameCatalog catalog = LiveServer.catalog();
        try (LiveServer live = LiveServer.start(LiveServer.config(1, "arena:demo").withInspectRooms(true), catalog))
        {
            final DemoBots bots = DemoBots.start(live.server(), BOTS, catalog);
            try
            {
                await().atMost(Duration.ofSeconds(20)).until(() ->
                    clients(live, DemoBots.ARENA_ROOM) == BOTS / 2 && clients(live, DemoBots.TAG_ROOM) == BOTS / 2);

                final JsonNode first = inspect(live, DemoBots.ARENA_ROOM);
                assertEquals("arena", first.get("type").asText());
                final JsonNode bot = player(first, "bot-00");
                assertTrue(bot.get("fields").has("x") && bot.get("fields").has("y"), first.toString());
                assertEquals(1, bot.get("fields").get("kind").asInt(), "the bot's avatar is a player");
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                {
                    final JsonNode later = player(inspect(live, DemoBots.ARENA_ROOM), "bot-00");
                    return later.get("fields").get("x").asInt() != bot.get("fields").get("x").asInt() ||
                        later.get("fields").get("y").asInt() != bot.get("fields").get("y").asInt();
                });

                answersAMention(live, catalog.get("arena"));
            }
            finally
            {
                bots.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> clients(live, DemoBots.TAG_ROOM) == 0);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void roomInspectionIsOffByDefaultAndAnUnknownRoomIs404() throws Exception
    {
        try (LiveServer off = LiveServer.start(1, "arena:demo"))
        {
            assertEquals(404, off.get("/rooms/demo").statusCode());
        }
        try (LiveServer on = LiveServer.start(LiveServer.config(1, "arena:demo").withInspectRooms(true),
            LiveServer.catalog()))
        {
            assertEquals(404, on.get("/rooms/nowhere").statusCode());
            final HttpResponse<String> demo = on.get("/rooms/demo");
            assertEquals(200, demo.statusCode());
            assertEquals("application/json", demo.headers().firstValue("content-type").orElseThrow());
            assertEquals(0, JSON.readTree(demo.body()).get("players").size());
            assertTrue(JSON.readTree(demo.body()).get("tick").asLong() >= 0);
        }
    }

    /**
     * Joins the arena demo room as {@code tester}, chats {@code @bot-00 hello} and expects bot-00's answer.
     */
    private static void answersAMention(final LiveServer live, final GameType arena) throws Exception
    {
        final WsTestClient tester = WsTestClient.connect(live.websocketUrl()).join("arena", DemoBots.ARENA_ROOM);
        await().atMost(Duration.ofSeconds(5)).until(() -> !tester.welcomes.isEmpty());
        final Welcome welcome = tester.welcomes.get(0);
        MessageType chat = null;
        for (final MessageType type : welcome.messageTypes())
        {
            chat = "chat".equals(type.name()) ? type : chat;
        }
        assertNotNull(chat, "the arena has chat");
        tester.sendText(chat, 1, "text", "@bot-00 hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> hasAnswer(tester, arena, welcome.playerId()));
        tester.abort();
    }

    private static boolean hasAnswer(final WsTestClient tester, final GameType arena, final int testerId)
    {
        final MessageCodec codec = new MessageCodec(arena);
        final MessageReader reader = new MessageReader();
        for (final byte[] message : tester.roomMessages)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(message);
            assertTrue(codec.validateRoom(buffer, 0, message.length));
            reader.wrap(codec.type(), buffer, codec.fieldsOffset(), codec.fieldsLength());
            if ("chat".equals(codec.type().name()) && reader.getText(1).equals("@tester hi, I am bot-00"))
            {
                assertNotEquals(testerId, reader.getInt(0), "the answer comes from the bot");
                return true;
            }
        }
        return false;
    }

    private static JsonNode inspect(final LiveServer live, final String room) throws Exception
    {
        final HttpResponse<String> response = live.get("/rooms/" + room);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode player(final JsonNode room, final String name)
    {
        for (final JsonNode player : room.get("players"))
        {
            if (name.equals(player.get("name").asText()))
            {
                return player;
            }
        }
        throw new AssertionError("no player " + name + " in " + room);
    }

    private static int clients(final LiveServer live, final String name) throws Exception
    {
        for (final JsonNode room : JSON.readTree(live.get("/rooms").body()))
        {
            if (name.equals(room.get("name").asText()))
            {
                return room.get("clients").asInt();
            }
        }
        return 0;
    }
}
