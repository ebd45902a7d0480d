package io.tickwire.bots;

import io.tickwire.codec.control.PresenceEntry;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Map;
import java.util.TreeMap;

/**
 * The players of one bot's room as its PRESENCE stream tells them: JOIN adds a player, UPDATE replaces one that is
 * present, LEAVE removes one. A JOIN of a player already present, or an UPDATE or LEAVE of one absent, is refused:
 * the stream contradicts itself.
 * <p>
 * Owned by the bot's event loop. Presence is a cold event: entries are the decoder's records, kept as they are.
 */
final class PresenceList
{
    /**
     * One player as the presence list holds it, the part every bot of a room must agree on.
     *
     * @param name     the player's name.
     * @param metadata the player's metadata, in wire order.
     */
    record Member(String name, Map<String, String> metadata)
    {
    }

    private final Int2ObjectHashMap<PresenceEntry> players = new Int2ObjectHashMap<>();

    /**
     * Empties the list: a new session's initial list follows its welcome.
     */
    void clear()
    {
        players.clear();
    }

    /**
     * @return false when the entry contradicts the list: a join of a player present, an update or leave of one
     * absent, or an unknown op; the list is then unchanged.
     */
    boolean apply(final PresenceEntry entry)
    {
        final boolean present = players.containsKey(entry.playerId());
        switch (entry.op())
        {
            case PresenceEntry.OP_JOIN:
                return !present && players.put(entry.playerId(), entry) == null;
            case PresenceEntry.OP_UPDATE:
                return present && players.put(entry.playerId(), entry) != null;
            case PresenceEntry.OP_LEAVE:
                return players.remove(entry.playerId()) != null;
            default:
                return false;
        }
    }

    int size()
    {
        return players.size();
    }

    /**
     * @return the entry of a player present, or null.
     */
    PresenceEntry get(final int playerId)
    {
        return players.get(playerId);
    }

    /**
     * @return a copy of the list by player id, ascending, for comparing with other bots' lists; allocates.
     */
    Map<Integer, Member> members()
    {
        final Map<Integer, Member> members = new TreeMap<>();
        players.forEach((playerId, entry) -> members.put(playerId, new Member(entry.name(), entry.metadata())));
        return members;
    }
}
