package io.tickwire.bots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matchmaker's answers as the bots read them: every field of a placement checked, every error status mapped.
 */
class MatchAnswersTest
{
    static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm9uOngifQ.c2lnbmF0dXJl";

    @Test
    void aPlacementGivesEveryField()
    {
        final MatchAnswer answer = parse(200, placed("ws://10.0.0.7:7777/ws", "arena-3", JWT, "10000"), "arena-3");

        final MatchAnswer.Placed placed = assertInstanceOf(MatchAnswer.Placed.class, answer);
        assertEquals(URI.create("ws://10.0.0.7:7777/ws"), placed.url());
        assertEquals("arena-3", placed.room());
        assertEquals(JWT, placed.reservation());
        assertEquals(10_000, placed.expiresInMs());
        assertEquals("anon:Qm9", placed.subject());
        assertEquals("10.0.0.7:7777-3f9a1c2e", placed.node());
    }

    @Test
    void anyOrNewLetTheMatchmakerNameTheRoom()
    {
        assertInstanceOf(MatchAnswer.Placed.class,
            parse(200, placed("wss://game.example/ws", "arena-3f9a1c-12", JWT, "1"), "any"));
        assertInstanceOf(MatchAnswer.Placed.class,
            parse(200, placed("ws://127.0.0.1:1/ws", "arena-3f9a1c-12", JWT, "1"), "new"));
    }

    @Test
    void aPlacementInAnotherRoomThanTheOneNamedIsRefused()
    {
        assertBad(parse(200, placed("ws://10.0.0.7:7777/ws", "arena-4", JWT, "10000"), "arena-3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"room\":\"r\",\"reservation\":\"" + JWT + "\",\"expiresInMs\":1,\"subject\":\"s\",\"node\":\"n\"}",
        "{\"url\":\"ws://h/ws\",\"reservation\":\"" + JWT + "\",\"expiresInMs\":1,\"subject\":\"s\",\"node\":\"n\"}",
        "{\"url\":\"ws://h/ws\",\"room\":\"r\",\"expiresInMs\":1,\"subject\":\"s\",\"node\":\"n\"}",
        "{\"url\":\"ws://h/ws\",\"room\":\"r\",\"reservation\":\"" + JWT + "\",\"subject\":\"s\",\"node\":\"n\"}",
        "{\"url\":\"ws://h/ws\",\"room\":\"r\",\"reservation\":\"" + JWT + "\",\"expiresInMs\":1,\"node\":\"n\"}",
        "{\"url\":\"ws://h/ws\",\"room\":\"r\",\"reservation\":\"" + JWT + "\",\"expiresInMs\":1,\"subject\":\"s\"}",
        "{\"url\":7,\"room\":\"r\",\"reservation\":\"" + JWT + "\",\"expiresInMs\":1,\"subject\":\"s\",\"node\":\"n\"}",
        "{\"url\":\"ws://h/ws\",\"room\":\"\",\"reservation\":\"" + JWT + "\",\"expiresInMs\":1,\"subject\":\"s\"," +
            "\"node\":\"n\"}",
        "[1,2]",
        "not json",
        ""
    })
    void aPlacementWithAFieldMissingOrOfTheWrongTypeIsRefused(final String body)
    {
        assertBad(MatchAnswers.parse(200, body.getBytes(StandardCharsets.UTF_8), "any"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-1", "3600001", "1.5", "\"10\"", "null", "99999999999999999999" })
    void expiresInMsMustBeAPositiveWholeNumberOfAtMostAnHour(final String expiresInMs)
    {
        assertBad(parse(200, placed("ws://h:1/ws", "r", JWT, expiresInMs), "any"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://h:1/ws", "ftp://h/ws", "ws:///ws", "ws://h:1/ws#x", "not a url", "ws://h:99999/ws" })
    void theUrlMustBeAWebSocketUrlWithAHost(final String url)
    {
        assertBad(parse(200, placed(url, "r", JWT, "1"), "any"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "abc", "a.b", "a.b.c.d", "a.b.c,tickwire.v1", "a b.c.d", "a.b.c\\r\\nX: y" })
    void theReservationMustBeACompactJwtSoItFitsInASubprotocolEntry(final String reservation)
    {
        assertBad(parse(200, placed("ws://h:1/ws", "r", reservation, "1"), "any"));
    }

    @Test
    void longFieldsAndLongRoomNamesAreRefused()
    {
        assertBad(parse(200, placed("ws://h:1/ws", "r".repeat(33), JWT, "1"), "any"));
        assertBad(parse(200, placed("ws://h:1/" + "p".repeat(MatchAnswer.MAX_TEXT_LENGTH), "r", JWT, "1"), "any"));
        final String longJwt = "a".repeat(MatchAnswer.MAX_RESERVATION_LENGTH) + ".b.c";
        assertBad(parse(200, placed("ws://h:1/ws", "r", longJwt, "1"), "any"));
    }

    @Test
    void aBodyLongerThanTheLimitIsRefusedWhateverItSays()
    {
        final byte[] body = new byte[MatchAnswer.MAX_BODY_LENGTH + 1];
        assertBad(MatchAnswers.parse(200, body, "any"));
    }

    @ParameterizedTest
    @CsvSource({
        "400, '{\"error\":\"BAD_OPTIONS\"}', BAD_REQUEST",
        "401, '', UNAUTHORIZED",
        "403, '{\"error\":\"TOKEN_AUDIENCE\"}', UNAUTHORIZED",
        "413, '{\"error\":\"BODY_TOO_LARGE\"}', BAD_REQUEST",
        "429, 'slow down', UNAVAILABLE",
        "404, '{\"error\":\"ROOM_NOT_FOUND\"}', ROOM_NOT_FOUND",
        "404, '{\"error\":\"ROOM_GONE\"}', ROOM_GONE",
        "404, 'Not Found', ROOM_NOT_FOUND",
        "409, '{\"error\":\"FULL\"}', FULL",
        "409, '{\"error\":\"LOCKED\"}', LOCKED",
        "409, '{\"error\":\"EXISTS\"}', EXISTS",
        "409, '{\"error\":\"RESTORING\"}', BAD_ANSWER",
        "503, '{\"error\":\"NO_NODE\"}', NO_NODE",
        "503, 'busy', UNAVAILABLE",
        "500, '{\"error\":\"FULL\"}', BAD_ANSWER",
        "302, '', BAD_ANSWER"
    })
    void errorStatusesMapToTheirErrors(final int status, final String body, final MatchError expected)
    {
        final MatchAnswer.Refused refused = assertInstanceOf(MatchAnswer.Refused.class,
            MatchAnswers.parse(status, body.getBytes(StandardCharsets.UTF_8), "arena-1"));
        assertEquals(expected, refused.error());
        assertEquals(0, refused.retryAfterMs());
    }

    @Test
    void restoringCarriesItsRetryAfter()
    {
        final MatchAnswer.Refused refused = assertInstanceOf(MatchAnswer.Refused.class,
            parse(503, "{\"error\":\"RESTORING\",\"retryAfterMs\":250}", "arena-1"));
        assertEquals(MatchError.RESTORING, refused.error());
        assertEquals(250, refused.retryAfterMs());
        assertTrue(refused.error().retryable());
        assertFalse(MatchError.FULL.retryable());
    }

    @ParameterizedTest
    @ValueSource(strings = { "-1", "3600001", "\"250\"", "2.5" })
    void aRetryAfterOutOfRangeIsABadAnswer(final String retryAfterMs)
    {
        assertBad(parse(503, "{\"error\":\"RESTORING\",\"retryAfterMs\":" + retryAfterMs + "}", "arena-1"));
    }

    @Test
    void theRequestCarriesTypeRoomOptionsNameAndTheRejoinOnlyWhenSet()
    {
        assertEquals("{\"type\":\"arena\",\"room\":\"any\",\"options\":{},\"name\":\"bot-01\"}",
            new MatchRequest("arena", "any", "bot-01", null).toJson());
        assertEquals("{\"type\":\"tag\",\"room\":\"tag-2\",\"options\":{},\"name\":\"b\\\"q\",\"rejoin\":\"" + JWT +
            "\"}", new MatchRequest("tag", "tag-2", "b\"q", JWT).toJson());
    }

    @Test
    void theSubprotocolsOfferTheReservationOrTheResumeAfterTheProtocol()
    {
        assertEquals("tickwire.v2,tickwire.rsv." + JWT, Reservations.withReservation(JWT));
        assertEquals("tickwire.v2,tickwire.resume", Reservations.forResume());
        assertEquals(URI.create("http://127.0.0.1:7777/matchmake"),
            MatchmakerClient.endpoint(URI.create("http://127.0.0.1:7777/")));
        assertEquals(URI.create("http://h:1/base/matchmake"), MatchmakerClient.endpoint(URI.create("http://h:1/base")));
    }

    private static MatchAnswer parse(final int status, final String body, final String requestedRoom)
    {
        return MatchAnswers.parse(status, body.getBytes(StandardCharsets.UTF_8), requestedRoom);
    }

    static String placed(final String url, final String room, final String reservation, final String expiresInMs)
    {
        return "{\"url\":\"" + url + "\",\"room\":\"" + room + "\",\"reservation\":\"" + reservation +
            "\",\"expiresInMs\":" + expiresInMs + ",\"subject\":\"anon:Qm9\",\"node\":\"10.0.0.7:7777-3f9a1c2e\"}";
    }

    private static void assertBad(final MatchAnswer answer)
    {
        assertEquals(MatchError.BAD_ANSWER, assertInstanceOf(MatchAnswer.Refused.class, answer).error(),
            answer.toString());
    }
}
