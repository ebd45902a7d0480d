package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.JoinOptions;

/**
 * A join the network layer decoded and validated: the room type exists, the options are the type's, names are
 * within limits. Immutable; handed from an event loop to the shard through the ring.
 *
 * @param type    the room type asked for.
 * @param mode    {@code JoinRequest.MODE_NAMED}, {@code MODE_ANY} or {@code MODE_CREATE}.
 * @param room    the room's name; empty for "any" and for "create with a generated name".
 * @param player  the player's display name.
 * @param options  the join options, validated against the type's declarations.
 * @param identity the identity verified at the handshake, or null when the server does not authenticate.
 */
public record JoinTicket(GameType type, int mode, String room, String player, JoinOptions options, Identity identity)
{
}
