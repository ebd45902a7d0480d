package io.tickwire.sim;

import io.tickwire.codec.control.ResumeToken;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2ObjectHashMap;

import java.security.SecureRandom;

/**
 * The clients of one shard's rooms by session id, so an event from the ring finds its client, and by resume token,
 * so a resume finds its seat. A resume is routed to this shard by its room's name, so no table is shared across
 * threads. Shard thread only.
 */
final class ShardClients
{
    private final Long2ObjectHashMap<RoomClient> bySession = new Long2ObjectHashMap<>();
    private final Object2ObjectHashMap<ResumeToken, RoomClient> byToken = new Object2ObjectHashMap<>();
    private final SecureRandom random = new SecureRandom();

    RoomClient get(final long sessionId)
    {
        return bySession.get(sessionId);
    }

    void put(final RoomClient client)
    {
        bySession.put(client.link.sessionId(), client);
    }

    /**
     * Forgets a client leaving its room, and its resume token; events from its session are then counted as without
     * client.
     */
    void forget(final RoomClient client)
    {
        forgetSession(client);
        revokeToken(client);
    }

    /**
     * Forgets the session of a client whose link a newer one replaces; its seat and resume token stay.
     */
    void forgetSession(final RoomClient client)
    {
        if (bySession.get(client.link.sessionId()) == client)
        {
            bySession.remove(client.link.sessionId());
        }
    }

    /**
     * Gives a client a new resume token of 128 random bits, revoking its previous one: a token is good for one
     * resume, and only the latest WELCOME's. Cold path: once per welcome.
     *
     * @return the new token.
     */
    ResumeToken issueToken(final RoomClient client)
    {
        revokeToken(client);
        ResumeToken token;
        do
        {
            token = ResumeToken.random(random);
        }
        while (byToken.containsKey(token));
        byToken.put(token, client);
        client.resumeToken(token);
        return token;
    }

    /**
     * @return the client holding {@code token}, or null when no seat has it (never issued, used, or the seat left).
     */
    RoomClient byToken(final ResumeToken token)
    {
        return byToken.get(token);
    }

    private void revokeToken(final RoomClient client)
    {
        final ResumeToken token = client.resumeToken();
        if (token != null)
        {
            byToken.remove(token);
            client.resumeToken(null);
        }
    }
}
