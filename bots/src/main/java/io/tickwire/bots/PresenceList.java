package io.tickwire.bots;

import io.tickwire.codec.control.PresenceEntry;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.List;
import java.util.Map;

/**
 * The players of one bot's room as its PRESENCE stream tells them: JOIN adds a player, UPDATE replaces one that is
 * present, LEAVE removes one. A JOIN of a player already present, or an UPDATE or LEAVE of one absent, is refused:
 * the stream contradicts itself.
 * <p>
 * A session's initial list (the WELCOME's {@code presenceCount} joins, in several messages) is built apart, in a map
 * of the bot's own; once whole, and from then on, the list is a state of the group's {@link PresenceStates}, shared
 * with every bot of the group that was told the same players, so a room of n bots holds its players about once, not
 * n times.
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

    private final PresenceStates states;
    private PresenceStates.State shared;
    private Int2ObjectHashMap<PresenceEntry> initial;
    private int initialLeft;

    /**
     * @param states the group's shared lists.
     */
    PresenceList(final PresenceStates states)
    {
        this.states = states;
        this.shared = states.empty();
    }

    /**
     * Starts a new session's list: empty, with the initial list to follow.
     *
     * @param initialCount the players of the initial list, as the WELCOME counts them.
     */
    void start(final int initialCount)
    {
        shared = states.empty();
        initialLeft = initialCount;
        initial = initialCount > 0 ? new Int2ObjectHashMap<>() : null;
    }

    /**
     * Applies a whole PRESENCE message's entries, in order.
     *
     * @return false when an entry contradicts the list: a join of a player present, an update or leave of one
     * absent, or an unknown op. The list then stands as before that entry when it was one of the initial list's, or
     * else as before the first of the message's entries after the initial list; the caller ends the session either
     * way.
     */
    boolean apply(final List<PresenceEntry> entries)
    {
        final int count = entries.size();
        int applied = 0;
        while (initial != null && applied < count)
        {
            if (!PresenceStates.applyTo(initial, entries.get(applied++)))
            {
                return false;
            }
            if (--initialLeft == 0)
            {
                shared = states.share(initial);
                initial = null;
            }
        }
        if (applied == count)
        {
            return true;
        }
        final List<PresenceEntry> rest = applied == 0 ? entries : entries.subList(applied, count);
        final PresenceStates.State next = states.apply(shared, rest);
        if (next == null)
        {
            return false;
        }
        shared = next;
        return true;
    }

    int size()
    {
        return initial != null ? initial.size() : shared.size();
    }

    /**
     * @return the entry of a player present, or null.
     */
    PresenceEntry get(final int playerId)
    {
        return initial != null ? initial.get(playerId) : shared.get(playerId);
    }

    /**
     * @return the list by player id, ascending, for comparing with other bots' lists: the same instance for the bots
     * that share the list; a copy while the initial list arrives.
     */
    Map<Integer, Member> members()
    {
        return initial != null ? PresenceStates.membersOf(initial) : shared.members();
    }
}
