package io.tickwire.bots;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, at the end of a run, that the bots of each room agree on who is in it: every joined bot's presence list
 * (player ids, names and metadata) must be the same as the others' of its room, and must hold every joined bot of
 * the room under its own player id and name. A room where either fails counts as one mismatch.
 * <p>
 * Stateless; thread safe. Runs on the swarm's thread, over reports the event loops made.
 */
final class PresenceAudit
{
    /**
     * What one joined bot saw of its room.
     *
     * @param room       the room the bot is in.
     * @param playerId   the bot's player id, from its welcome.
     * @param playerName the name the bot joined with.
     * @param members    the bot's presence list, by player id.
     */
    record Report(String room, int playerId, String playerName, Map<Integer, PresenceList.Member> members)
    {
    }

    /**
     * The outcome of an audit.
     *
     * @param rooms      rooms with at least one joined bot.
     * @param mismatches rooms whose bots disagree, or miss a joined bot.
     */
    record Result(int rooms, int mismatches)
    {
        /** No room audited. */
        static final Result NONE = new Result(0, 0);
    }

    private PresenceAudit()
    {
    }

    /**
     * @param lists the distinct lists seen so far, each its own key; {@code report}'s is added when new.
     * @return {@code report}, holding the instance of its list already in {@code lists} when there is an equal one.
     */
    static Report shareEqualLists(
        final Report report, final Map<Map<Integer, PresenceList.Member>, Map<Integer, PresenceList.Member>> lists)
    {
        final Map<Integer, PresenceList.Member> members = lists.computeIfAbsent(report.members(), list -> list);
        return members == report.members() ? report :
            new Report(report.room(), report.playerId(), report.playerName(), members);
    }

    /**
     * @param reports one per bot joined at the end of the run.
     * @return how many rooms were audited and how many disagree.
     */
    static Result audit(final List<Report> reports)
    {
        final Map<String, Map<Integer, PresenceList.Member>> firstListByRoom = new HashMap<>();
        final Map<String, Boolean> agreeByRoom = new HashMap<>();
        for (final Report report : reports)
        {
            final Map<Integer, PresenceList.Member> first =
                firstListByRoom.computeIfAbsent(report.room(), room -> report.members());
            agreeByRoom.merge(report.room(), first.equals(report.members()), Boolean::logicalAnd);
        }
        for (final Report report : reports)
        {
            final PresenceList.Member self = firstListByRoom.get(report.room()).get(report.playerId());
            if (self == null || !self.name().equals(report.playerName()))
            {
                agreeByRoom.put(report.room(), false);
            }
        }
        int mismatches = 0;
        for (final boolean agree : agreeByRoom.values())
        {
            mismatches += agree ? 0 : 1;
        }
        return new Result(agreeByRoom.size(), mismatches);
    }
}
