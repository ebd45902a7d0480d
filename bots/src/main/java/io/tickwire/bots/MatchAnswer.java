package io.tickwire.bots;

import java.net.URI;

/**
 * A matchmaker's answer to one {@link MatchRequest}: a seat reserved ({@link Placed}) or a refusal
 * ({@link Refused}). {@link MatchAnswers#parse} checks every field
 * of an answer, since it comes from the network.
 */
public sealed interface MatchAnswer permits MatchAnswer.Placed, MatchAnswer.Refused
{
    /** Longest answer body read, in bytes; a longer one is {@link MatchError#BAD_ANSWER}. */
    int MAX_BODY_LENGTH = 16 * 1024;

    /** Longest reservation accepted, in characters: a JWT of a handful of claims is a few hundred. */
    int MAX_RESERVATION_LENGTH = 4096;

    /** Longest {@code url}, {@code subject} and {@code node}, in characters. */
    int MAX_TEXT_LENGTH = 1024;

    /** Longest validity of a reservation and longest {@code retryAfterMs} accepted, in ms. */
    long MAX_MS = 3_600_000;

    /**
     * A seat reserved: connect to {@code url} offering the reservation, then JOIN {@code room} by name.
     *
     * @param url         the target node's WebSocket URL, ws or wss.
     * @param room        the room the seat is in.
     * @param reservation the signed reservation (a JWT), offered as the subprotocol entry {@code tickwire.rsv.<jwt>}.
     * @param expiresInMs how long the reservation is valid from the answer, in ms.
     * @param subject     the identity the seat belongs to; a re-home proves it with the reservation.
     * @param node        the id of the node hosting the room.
     */
    record Placed(URI url, String room, String reservation, long expiresInMs, String subject, String node)
        implements MatchAnswer
    {
    }

    /**
     * No seat.
     *
     * @param error        why.
     * @param retryAfterMs how long the matchmaker asks to wait before asking again, in ms; 0 when it said nothing.
     * @param detail       what went wrong, for the log.
     */
    record Refused(MatchError error, long retryAfterMs, String detail) implements MatchAnswer
    {
    }
}
