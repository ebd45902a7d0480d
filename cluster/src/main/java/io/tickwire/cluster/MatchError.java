package io.tickwire.cluster;

/** Why a matchmake failed, with the HTTP status and retry hint of design §3. */
public enum MatchError
{
    /** The type is hosted by no node. */
    UNKNOWN_TYPE(400, 0),
    /** A room name that is not valid. */
    BAD_ROOM(400, 0),
    /** The rejoin token is forged, too old, or for another subject. */
    BAD_REJOIN(401, 0),
    /** The named room does not exist (and may not be created). */
    ROOM_NOT_FOUND(404, 0),
    /** The room asked for again (a rejoin) is gone: it had no checkpoint when its node died, or it closed. */
    ROOM_GONE(404, 0),
    /** The game does not let clients create rooms. */
    CREATE_FORBIDDEN(403, 0),
    /** No free seat. */
    FULL(409, 0),
    /** The game locked the room (or its node drains). */
    LOCKED(409, 0),
    /** A new room was asked for under a name that exists. */
    EXISTS(409, 0),
    /** The room is being restored on another node, or its node is going away: ask again shortly. */
    RESTORING(503, 250),
    /** No live node hosts the type. */
    NO_NODE(503, 1_000),
    /** Redis did not answer in time. */
    UNAVAILABLE(503, 1_000);

    private final int httpStatus;
    private final long retryAfterMs;

    MatchError(final int httpStatus, final long retryAfterMs)
    {
        this.httpStatus = httpStatus;
        this.retryAfterMs = retryAfterMs;
    }

    /** @return the HTTP status of the answer */
    public int httpStatus()
    {
        return httpStatus;
    }

    /** @return the retry hint, ms; 0 = none */
    public long retryAfterMs()
    {
        return retryAfterMs;
    }
}
