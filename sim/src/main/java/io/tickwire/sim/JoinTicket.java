package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinOptions;
import io.tickwire.codec.control.ResumeToken;

/**
 * A join the network layer decoded and validated: the room type exists, the options are the type's, names are
 * within limits. Immutable; handed from an event loop to the shard through the ring.
 *
 * @param type        the room type asked for.
 * @param mode        {@code JoinRequest.MODE_NAMED}, {@code MODE_ANY}, {@code MODE_CREATE} or {@code MODE_RESUME}.
 * @param room        the room's name; empty for "any" and for "create with a generated name".
 * @param player      the player's display name.
 * @param options     the join options, validated against the type's declarations.
 * @param identity    the identity verified at the handshake, or null when the server does not authenticate.
 * @param resumeToken a resume's token; null for the other modes.
 * @param messageAck  a resume's stream ack: the newest stream message the client received; 0 for the other modes.
 * @param reservationId the matchmaker reservation the connection consumed at its handshake, or null: the seat
 *                    records it, and the room publishes it in {@link RoomInfo#seatedReservations()}.
 * @param rejoin      true when the reservation took back a seat the identity holds (the matchmaker counted no free
 *                    seat for it): the join only takes that seat, never creates a room or a seat.
 */
public record JoinTicket(
    GameType type, int mode, String room, String player, JoinOptions options, Identity identity,
    ResumeToken resumeToken, int messageAck, String reservationId, boolean rejoin)
{
    /**
     * A join without a reservation.
     */
    public JoinTicket(
        final GameType type, final int mode, final String room, final String player, final JoinOptions options,
        final Identity identity, final ResumeToken resumeToken, final int messageAck)
    {
        this(type, mode, room, player, options, identity, resumeToken, messageAck, null, false);
    }

    /**
     * A NAMED, ANY or CREATE join.
     */
    public JoinTicket(
        final GameType type, final int mode, final String room, final String player, final JoinOptions options,
        final Identity identity)
    {
        this(type, mode, room, player, options, identity, null, 0, null, false);
    }

    /**
     * @return whether this ticket resumes a held seat rather than joining.
     */
    public boolean isResume()
    {
        return resumeToken != null;
    }
}
