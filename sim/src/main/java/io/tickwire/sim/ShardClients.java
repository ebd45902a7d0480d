package io.tickwire.sim;

import io.tickwire.codec.control.ResumeToken;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2ObjectHashMap;

import java.security.NoSuchAlgorithmException;
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
    /**
     * This shard's own generator: the default {@code SecureRandom} (NativePRNG on Linux) takes a process-wide lock
     * that TLS handshakes on the event loops share, and a join must not wait on it.
     */
    private final SecureRandom random = newRandom();

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
        revokeTokens(client);
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
     * Gives a client a new resume token of 128 random bits, revoking its others: a token is good for one resume, and
     * only the latest WELCOME's, with one exception. The token a resume used ({@code usedToken}) stays good until
     * the new connection sends its first message ({@link #confirmToken}): a connection that drops before its
     * WELCOME arrives leaves the client with only the token it used, and the seat must not be lost for that. Cold
     * path: once per welcome.
     *
     * @param usedToken the token of the resume this WELCOME answers; null for a join.
     * @return the new token.
     */
    ResumeToken issueToken(final RoomClient client, final ResumeToken usedToken)
    {
        final ResumeToken kept =
            usedToken != null && (usedToken.equals(client.resumeToken()) || usedToken.equals(client.previousToken())) ?
            usedToken : null;
        revokeTokens(client);
        if (kept != null)
        {
            byToken.put(kept, client);
            client.previousToken(kept);
        }
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
     * Revokes the token a client resumed with, once its new connection sent a message and so received its WELCOME.
     */
    void confirmToken(final RoomClient client)
    {
        final ResumeToken previous = client.previousToken();
        if (previous != null)
        {
            byToken.remove(previous);
            client.previousToken(null);
        }
    }

    /**
     * @return the client holding {@code token}, or null when no seat has it (never issued, used, or the seat left).
     */
    RoomClient byToken(final ResumeToken token)
    {
        return byToken.get(token);
    }

    private void revokeTokens(final RoomClient client)
    {
        final ResumeToken token = client.resumeToken();
        if (token != null)
        {
            byToken.remove(token);
            client.resumeToken(null);
        }
        confirmToken(client);
    }

    private static SecureRandom newRandom()
    {
        try
        {
            return SecureRandom.getInstance("DRBG");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            return new SecureRandom();
        }
    }
}
