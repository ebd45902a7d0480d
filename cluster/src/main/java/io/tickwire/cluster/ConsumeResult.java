package io.tickwire.cluster;

/** What {@code consume.lua} said about a reservation presented at a WebSocket handshake. */
public enum ConsumeResult
{
    /** A fresh seat: the handshake goes on. */
    OK(true, 101, null),
    /** A rejoin reservation: the handshake goes on; the JOIN must find the identity's seat. */
    REJOIN(true, 101, null),
    /** Unused but past its expiry: its seat was freed. */
    EXPIRED(false, 410, "RESERVATION_EXPIRED"),
    /** Used before, or never made. */
    USED(false, 410, "RESERVATION_USED"),
    /** The room is on another node now (re-homed or closed). */
    WRONG_NODE(false, 421, "WRONG_NODE"),
    /** Redis did not answer in time. */
    UNAVAILABLE(false, 503, "UNAVAILABLE");

    private final boolean accepted;
    private final int httpStatus;
    private final String error;

    ConsumeResult(final boolean accepted, final int httpStatus, final String error)
    {
        this.accepted = accepted;
        this.httpStatus = httpStatus;
        this.error = error;
    }

    /** @return true when the handshake may go on */
    public boolean accepted()
    {
        return accepted;
    }

    /** @return the HTTP status of a refused handshake (101 when accepted) */
    public int httpStatus()
    {
        return httpStatus;
    }

    /** @return the error code of a refused handshake, null when accepted */
    public String error()
    {
        return error;
    }
}
