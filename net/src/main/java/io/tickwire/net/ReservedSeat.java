package io.tickwire.net;

import io.tickwire.codec.control.JoinRequest;

/**
 * What a clustered connection was opened for, as the upgrade guard verified it: the seat reservation the matchmaker
 * signed (its id, room type and room), or a resume of a seat this node holds. The JOIN that follows must match it.
 * Immutable.
 *
 * @param reservationId the reservation's id ({@code jti}); null for a resume.
 * @param roomType      the reserved room's type; null for a resume.
 * @param room          the reserved room's name; null for a resume.
 * @param rejoin        true when the reservation takes back a seat the identity holds: its JOIN takes that seat or
 *                      is refused, it never creates one (the matchmaker counted no free seat for it).
 */
public record ReservedSeat(String reservationId, String roomType, String room, boolean rejoin)
{
    /** A connection that may only resume a seat held on this node (subprotocol entry {@code tickwire.resume}). */
    public static final ReservedSeat RESUME_ONLY = new ReservedSeat(null, null, null, false);

    /**
     * @return whether {@code join} is what this connection may do: a RESUME for a resume-only connection, else a
     * NAMED join of exactly the reserved type and room.
     */
    public boolean admits(final JoinRequest join)
    {
        if (reservationId == null)
        {
            return join.mode() == JoinRequest.MODE_RESUME;
        }
        return join.mode() == JoinRequest.MODE_NAMED && roomType.equals(join.roomType()) && room.equals(join.room());
    }
}
