package io.tickwire.cluster;

import java.util.Objects;

import io.tickwire.api.Identity;

/**
 * A seat reserved by a matchmaker, as its signed token states it. Immutable.
 *
 * @param rid         the reservation id (16 random bytes, base64url), the token's {@code jti}
 * @param room        the room's name
 * @param type        the room's game type
 * @param identity    who may take the seat: subject, name and the bearer token's other claims
 * @param rejoin      true when it takes back a seat the identity holds already (needs no free seat)
 * @param node        the node the seat is on, the token's audience
 * @param issuedAtMs  when it was signed, epoch ms
 * @param expiresAtMs when it expires, epoch ms
 */
public record Reservation(
    String rid, String room, String type, Identity identity, boolean rejoin, String node, long issuedAtMs,
    long expiresAtMs)
{
    public Reservation
    {
        Objects.requireNonNull(rid, "rid");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(node, "node");
    }
}
