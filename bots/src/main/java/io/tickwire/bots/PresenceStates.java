package io.tickwire.bots;

import io.tickwire.codec.control.PresenceEntry;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The presence lists of one group's bots, shared. A list is an immutable {@link State}; a PRESENCE message takes a
 * bot from one state to the next, and the first bot of the group to apply a message to a state computes the next one
 * (a copy, O(players)), which every other bot that applies the same message to the same state then takes as it is
 * (O(1)). A new state equal to one kept is replaced by it, so a bot that reached the same players another way (its
 * initial list, after joining late) shares it too. Each bot of a room of n bots holding its own list cost n² entries:
 * 16 MB of maps at 1000 bots in one room, about 320 MB at 5000 (PERFORMANCE.md, "The bot swarm's own cost").
 * <p>
 * Two states are equal only when they hold the same entry instances for the same players: the group's
 * {@link GroupPresenceDecoder} gives equal entries one instance and keeps those that differ in the order of their
 * metadata apart, so a bot holding a shared state sees exactly what it was sent. At most {@link #MAX_KEPT_PLAYERS}
 * players, summed over the states kept for sharing, and {@link #MAX_KEPT_TRANSITION_ENTRIES} entries held by the
 * transitions kept, are kept; past either the table starts over, which costs sharing, not correctness. Owned by the
 * group's event loop; its states, once made, are read only there too.
 */
final class PresenceStates
{
    /**
     * Players of the states kept for sharing, summed: about 6 MB of maps, some 260 states of a room of 1000, enough
     * for every bot of a loop to find the state the first of them computed for the same message.
     */
    static final int MAX_KEPT_PLAYERS = 1 << 18;

    /**
     * Entries held by the transitions kept, summed, with the players of their starting states that are no longer
     * kept: a transition whose next state was already kept (players who leave and join again) adds no players, so
     * what transitions hold is bounded apart: about 16 MB at most, at some 240 bytes an entry.
     */
    static final int MAX_KEPT_TRANSITION_ENTRIES = 1 << 16;

    private final State empty = new State(new Int2ObjectHashMap<>());
    private final Map<Transition, State> transitions = new HashMap<>();
    private final Map<State, State> kept = new HashMap<>();
    private int keptPlayers;
    private int keptTransitionEntries;
    private long computedStates;

    /**
     * @return the list with no player, where every session's list starts.
     */
    State empty()
    {
        return empty;
    }

    /**
     * @param from    the list the entries apply to.
     * @param entries a whole PRESENCE message's entries, in order; kept as a copy.
     * @return the list after every entry, in turn, applied to {@code from}: the instance kept for it when there is
     * one; or null when an entry contradicts the list it meets ({@link #applyTo}).
     */
    State apply(final State from, final List<PresenceEntry> entries)
    {
        final Transition transition = new Transition(from, entries);
        final State known = transitions.get(transition);
        if (known != null)
        {
            return known;
        }
        final Int2ObjectHashMap<PresenceEntry> players = new Int2ObjectHashMap<>(from.players);
        for (int i = 0, count = entries.size(); i < count; i++)
        {
            if (!applyTo(players, entries.get(i)))
            {
                return null;
            }
        }
        computedStates++;
        final State next = share(players);
        final int held = entries.size() + (kept.get(from) == from ? 0 : from.size());
        if (keptTransitionEntries + held > MAX_KEPT_TRANSITION_ENTRIES)
        {
            transitions.clear();
            keptTransitionEntries = 0;
        }
        transitions.put(new Transition(from, List.copyOf(entries)), next);
        keptTransitionEntries += held;
        return next;
    }

    /**
     * @param players a list built apart, which the caller no longer changes.
     * @return the list kept equal to it, or a new one now kept.
     */
    State share(final Int2ObjectHashMap<PresenceEntry> players)
    {
        final State state = new State(players);
        final State same = kept.get(state);
        if (same != null)
        {
            return same;
        }
        if (keptPlayers + state.size() > MAX_KEPT_PLAYERS)
        {
            kept.clear();
            transitions.clear();
            keptPlayers = 0;
            keptTransitionEntries = 0;
        }
        kept.put(state, state);
        keptPlayers += state.size();
        return state;
    }

    /**
     * @return the players of the states kept for sharing, summed.
     */
    int keptPlayers()
    {
        return keptPlayers;
    }

    /**
     * @return the entries held by the transitions kept, with the players of their starting states no longer kept.
     */
    int keptTransitionEntries()
    {
        return keptTransitionEntries;
    }

    /**
     * @return the states computed so far, by a copy of a list: once per message and starting list while the
     * transition is kept, however many bots apply it.
     */
    long computedStates()
    {
        return computedStates;
    }

    /**
     * Applies one entry: JOIN adds a player, UPDATE replaces one that is present, LEAVE removes one.
     *
     * @return false when the entry contradicts {@code players}: a join of a player present, an update or leave of
     * one absent, or an unknown op; {@code players} is then unchanged.
     */
    static boolean applyTo(final Int2ObjectHashMap<PresenceEntry> players, final PresenceEntry entry)
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

    /**
     * The players of a room as a bot's PRESENCE stream has told them, by player id; never changed once made, so bots
     * may share it.
     */
    static final class State
    {
        private final Int2ObjectHashMap<PresenceEntry> players;
        private final int hash;
        private Map<Integer, PresenceList.Member> members;

        private State(final Int2ObjectHashMap<PresenceEntry> players)
        {
            this.players = players;
            final int[] sum = new int[1];
            players.forEachInt((playerId, entry) -> sum[0] += playerId * 31 + System.identityHashCode(entry));
            this.hash = sum[0];
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
         * @return the list by player id, ascending, for comparing with other bots' lists; made at the first call, then
         * the same instance for every bot that holds this state.
         */
        Map<Integer, PresenceList.Member> members()
        {
            if (members == null)
            {
                members = membersOf(players);
            }
            return members;
        }

        /**
         * Equal when the same players have the same entry instances: what the decoder keeps apart stays apart.
         */
        public boolean equals(final Object other)
        {
            if (this == other)
            {
                return true;
            }
            if (!(other instanceof State) || ((State)other).hash != hash || ((State)other).size() != size())
            {
                return false;
            }
            final Int2ObjectHashMap<PresenceEntry> others = ((State)other).players;
            final boolean[] same = {true};
            players.forEachInt((playerId, entry) -> same[0] &= others.get(playerId) == entry);
            return same[0];
        }

        public int hashCode()
        {
            return hash;
        }
    }

    /**
     * @return a copy of {@code players} by player id, ascending, as members; allocates.
     */
    static Map<Integer, PresenceList.Member> membersOf(final Int2ObjectHashMap<PresenceEntry> players)
    {
        final Map<Integer, PresenceList.Member> members = new TreeMap<>();
        players.forEachInt(
            (playerId, entry) -> members.put(playerId, new PresenceList.Member(entry.name(), entry.metadata())));
        return Collections.unmodifiableMap(members);
    }

    /**
     * A message's entries applied to a state; equal when both are the same instances, in the same order.
     */
    private static final class Transition
    {
        private final State from;
        private final List<PresenceEntry> entries;
        private final int hash;

        Transition(final State from, final List<PresenceEntry> entries)
        {
            this.from = from;
            this.entries = entries;
            int hash = System.identityHashCode(from);
            for (int i = 0, count = entries.size(); i < count; i++)
            {
                hash = hash * 31 + System.identityHashCode(entries.get(i));
            }
            this.hash = hash;
        }

        public boolean equals(final Object other)
        {
            if (!(other instanceof Transition) || ((Transition)other).from != from ||
                ((Transition)other).entries.size() != entries.size())
            {
                return false;
            }
            final List<PresenceEntry> others = ((Transition)other).entries;
            for (int i = 0, count = entries.size(); i < count; i++)
            {
                if (others.get(i) != entries.get(i))
                {
                    return false;
                }
            }
            return true;
        }

        public int hashCode()
        {
            return hash;
        }
    }
}
