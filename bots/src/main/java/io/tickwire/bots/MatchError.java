package io.tickwire.bots;

import java.util.Locale;

/**
 * Why a matchmaker did not place a bot: the {@code error} codes of {@code POST /matchmake} (docs/SCALE.md), and the
 * failures on this side. Each says whether asking again later may succeed.
 */
public enum MatchError
{
    /** 400 (and 405, 413, 415): the request, its body, the room type or the options were refused. */
    BAD_REQUEST(false),
    /** 401 or 403: the matchmaker wants a valid bearer token, or one for its audience. */
    UNAUTHORIZED(false),
    /** 404: the named room does not exist and may not be created. */
    ROOM_NOT_FOUND(false),
    /** 404: a re-home found the room gone (it had no checkpoint); the player joins afresh. */
    ROOM_GONE(false),
    /** 409: the room has no free seat. */
    FULL(false),
    /** 409: the room is locked. */
    LOCKED(false),
    /** 409: a room of that name exists already. */
    EXISTS(false),
    /** 503: the room is being restored on another node; ask again after {@code retryAfterMs}. */
    RESTORING(true),
    /** 503: no live node hosts the room type. */
    NO_NODE(true),
    /** 503 for another reason, such as Redis not answering in time, or 429: too many requests from this address. */
    UNAVAILABLE(true),
    /** The request failed on the way: no connection, a timeout, a reset. */
    TRANSPORT(true),
    /**
     * The request waited in this client's queue longer than its timeout and was not sent (the matchmakers answer
     * slower than the bots ask): nothing was reserved; asked again later, from the same matchmaker.
     */
    QUEUED_TOO_LONG(true),
    /** An answer that breaks the contract: an unexpected status, bad JSON, a field missing or out of range. */
    BAD_ANSWER(false);

    static final MatchError[] VALUES = values();

    private final boolean retryable;

    MatchError(final boolean retryable)
    {
        this.retryable = retryable;
    }

    /**
     * @return whether the same request may succeed later, after a backoff.
     */
    public boolean retryable()
    {
        return retryable;
    }

    /**
     * @param status the HTTP status of an error answer.
     * @param code   its {@code error} field, or null when it had none.
     * @return the error the code names when it is one the status may carry, else the status's generic error;
     * {@link #BAD_ANSWER} for a status the contract does not have.
     */
    static MatchError of(final int status, final String code)
    {
        final MatchError named = code == null ? null : byCode(code);
        switch (status)
        {
            case 400:
            case 405:
            case 413:
            case 415:
                return BAD_REQUEST;
            case 401:
            case 403:
                return UNAUTHORIZED;
            case 429:
                return UNAVAILABLE;
            case 404:
                return named == ROOM_GONE ? ROOM_GONE : ROOM_NOT_FOUND;
            case 409:
                return named == FULL || named == LOCKED || named == EXISTS ? named : BAD_ANSWER;
            case 503:
                return named == RESTORING || named == NO_NODE ? named : UNAVAILABLE;
            default:
                return BAD_ANSWER;
        }
    }

    private static MatchError byCode(final String code)
    {
        for (final MatchError error : VALUES)
        {
            if (error.name().equals(code.toUpperCase(Locale.ROOT)))
            {
                return error;
            }
        }
        return null;
    }
}
