package io.tickwire.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.codec.WireFormat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a matchmaker's answers, checking every field: the answer comes from the network. Stateless; thread safe.
 */
final class MatchAnswers
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_DETAIL_LENGTH = 64;

    private MatchAnswers()
    {
    }

    /**
     * Checks an answer of {@code POST /matchmake}.
     *
     * @param status        its HTTP status.
     * @param body          its body, UTF-8; at most {@link MatchAnswer#MAX_BODY_LENGTH} bytes, else a bad answer.
     * @param requestedRoom the room asked for: a name the answer must repeat, or {@code any} / {@code new}.
     * @return the placement, or the refusal the status and body say, or {@link MatchError#BAD_ANSWER}.
     */
    static MatchAnswer parse(final int status, final byte[] body, final String requestedRoom)
    {
        if (body.length > MatchAnswer.MAX_BODY_LENGTH)
        {
            return bad("body of " + body.length + " bytes");
        }
        final JsonNode root = readObject(body);
        if (status == 200)
        {
            return root == null ? bad("200 without a JSON object") : placed(root, requestedRoom);
        }
        final String code = root != null && root.path("error").isTextual() ? root.get("error").asText() : null;
        final MatchError error = MatchError.of(status, code);
        final JsonNode retryAfter = root == null ? null : root.get("retryAfterMs");
        long retryAfterMs = 0;
        if (retryAfter != null && !retryAfter.isNull())
        {
            if (!retryAfter.canConvertToLong() || !retryAfter.isIntegralNumber() || retryAfter.asLong() < 0 ||
                retryAfter.asLong() > MatchAnswer.MAX_MS)
            {
                return bad("retryAfterMs " + retryAfter);
            }
            retryAfterMs = retryAfter.asLong();
        }
        return new MatchAnswer.Refused(error, retryAfterMs, status + (code == null ? "" : " " + clip(code)));
    }

    private static MatchAnswer placed(final JsonNode root, final String requestedRoom)
    {
        final String url = text(root, "url", MatchAnswer.MAX_TEXT_LENGTH);
        final String room = text(root, "room", MatchAnswer.MAX_TEXT_LENGTH);
        final String reservation = text(root, "reservation", MatchAnswer.MAX_RESERVATION_LENGTH);
        final String subject = text(root, "subject", MatchAnswer.MAX_TEXT_LENGTH);
        final String node = text(root, "node", MatchAnswer.MAX_TEXT_LENGTH);
        final JsonNode expires = root.get("expiresInMs");
        if (url == null || room == null || reservation == null || subject == null || node == null)
        {
            return bad("a field of url, room, reservation, subject, node is missing, empty or too long");
        }
        if (expires == null || !expires.isIntegralNumber() || !expires.canConvertToLong() || expires.asLong() < 1 ||
            expires.asLong() > MatchAnswer.MAX_MS)
        {
            return bad("expiresInMs " + expires);
        }
        if (room.getBytes(StandardCharsets.UTF_8).length > WireFormat.MAX_NAME_LENGTH)
        {
            return bad("room name longer than " + WireFormat.MAX_NAME_LENGTH + " bytes");
        }
        if (!isPlacement(requestedRoom) && !room.equals(requestedRoom))
        {
            return bad("room " + clip(room) + " where " + requestedRoom + " was asked for");
        }
        if (!Reservations.isWellFormed(reservation))
        {
            return bad("reservation is not a JWT");
        }
        final URI uri = webSocketUri(url);
        return uri == null ? bad("url " + clip(url)) :
            new MatchAnswer.Placed(uri, room, reservation, expires.asLong(), subject, node);
    }

    /**
     * @return whether the room asked for lets the matchmaker choose the name: {@code any} or {@code new}.
     */
    private static boolean isPlacement(final String requestedRoom)
    {
        return MatchRequest.ANY_ROOM.equals(requestedRoom) || "new".equals(requestedRoom);
    }

    private static URI webSocketUri(final String url)
    {
        try
        {
            final URI uri = new URI(url);
            final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            final boolean webSocket = "ws".equals(scheme) || "wss".equals(scheme);
            return webSocket && uri.getHost() != null && uri.getPort() <= 65535 && uri.getRawFragment() == null ?
                uri : null;
        }
        catch (final URISyntaxException ex)
        {
            return null;
        }
    }

    private static String text(final JsonNode root, final String name, final int maxLength)
    {
        final JsonNode node = root.get(name);
        if (node == null || !node.isTextual() || node.asText().isEmpty() || node.asText().length() > maxLength)
        {
            return null;
        }
        return node.asText();
    }

    private static JsonNode readObject(final byte[] body)
    {
        try
        {
            final JsonNode root = MAPPER.readTree(body);
            return root != null && root.isObject() ? root : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static MatchAnswer.Refused bad(final String detail)
    {
        return new MatchAnswer.Refused(MatchError.BAD_ANSWER, 0, detail);
    }

    private static String clip(final String text)
    {
        return text.length() <= MAX_DETAIL_LENGTH ? text : text.substring(0, MAX_DETAIL_LENGTH) + "...";
    }
}
