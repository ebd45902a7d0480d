package io.tickwire.bots;

import io.tickwire.codec.WireFormat;

import java.util.regex.Pattern;

/**
 * How a bot offers what lets it in to a clustered node, in the WebSocket handshake's subprotocol list
 * (docs/PROTOCOL.md "Transport", docs/SCALE.md): {@code tickwire.v2} first, which the server picks, then a reservation
 * from the matchmaker ({@code tickwire.rsv.<jwt>}) or the mark of a RESUME to the node that holds the seat
 * ({@code tickwire.resume}), which needs no reservation. Stateless.
 */
final class Reservations
{
    /** The subprotocol entry prefix that carries a reservation. */
    static final String RESERVATION_SUBPROTOCOL_PREFIX = "tickwire.rsv.";

    /** The subprotocol entry of a RESUME on a clustered node. */
    static final String RESUME_SUBPROTOCOL = "tickwire.resume";

    /** Three base64url segments: a compact JWS, whose characters are all valid in a subprotocol token. */
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private Reservations()
    {
    }

    /**
     * @return the subprotocols to offer with {@code reservation}: {@code tickwire.v2,tickwire.rsv.<reservation>}.
     */
    static String withReservation(final String reservation)
    {
        return WireFormat.SUBPROTOCOL + "," + RESERVATION_SUBPROTOCOL_PREFIX + reservation;
    }

    /**
     * @return the subprotocols of a RESUME to a clustered node: {@code tickwire.v2,tickwire.resume}.
     */
    static String forResume()
    {
        return WireFormat.SUBPROTOCOL + "," + RESUME_SUBPROTOCOL;
    }

    /**
     * @return whether {@code reservation} has the shape of a compact JWS, so it may go into a subprotocol entry.
     */
    static boolean isWellFormed(final String reservation)
    {
        return reservation.length() <= MatchAnswer.MAX_RESERVATION_LENGTH && JWT.matcher(reservation).matches();
    }
}
