package io.tickwire.bots;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.control.PresenceEntry;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bots of a group told the same players hold one list between them, however they came to it; a list holds
 * exactly the entries its bot was sent; a contradiction is refused; and the tables kept for sharing stay bounded.
 * Messages here are lists of entry instances, as the group's {@link GroupPresenceDecoder} gives them: one instance
 * for each distinct entry.
 */
class PresenceStatesTest
{
    private final PresenceStates states = new PresenceStates();
    private final PresenceEntry one = join(1);
    private final PresenceEntry two = join(2);
    private final PresenceEntry three = join(3);

    @Test
    void botsThatApplyTheSameMessagesHoldOneList()
    {
        final PresenceList first = started(0);
        final PresenceList second = started(0);
        final List<PresenceEntry> joins = List.of(one, two, three);
        final List<PresenceEntry> leave = List.of(leave(2));

        assertTrue(first.apply(joins));
        assertTrue(second.apply(List.copyOf(joins)));
        assertSame(first.members(), second.members());
        assertEquals(3, first.size());

        assertTrue(first.apply(leave));
        assertTrue(second.apply(List.copyOf(leave)));
        assertSame(first.members(), second.members());
        assertNull(second.get(2));
        assertEquals(Map.of(1, member(1), 3, member(3)), second.members());
        assertEquals(3 + 2, states.keptPlayers(), "each state once, not once per bot");
        assertEquals(2, states.computedStates(), "one copy of a list per message, not per bot");
    }

    @Test
    void theSameMessageAppliedToDifferentListsGivesDifferentLists()
    {
        final PresenceList shorter = started(0);
        final PresenceList longer = started(0);
        assertTrue(shorter.apply(List.of(one)));
        assertTrue(longer.apply(List.of(one, two)));
        final List<PresenceEntry> joinOfThree = List.of(three);

        assertTrue(shorter.apply(joinOfThree));
        assertTrue(longer.apply(joinOfThree));

        assertEquals(Map.of(1, member(1), 3, member(3)), shorter.members());
        assertEquals(Map.of(1, member(1), 2, member(2), 3, member(3)), longer.members());
    }

    @Test
    void aMessageThatEndsTheInitialListAndGoesOnIsAppliedWholeAndShared()
    {
        final PresenceList early = joinedBefore();

        final PresenceList late = started(2);
        assertTrue(late.apply(List.of(one, two, three)));

        assertEquals(3, late.size());
        assertSame(early.members(), late.members());
    }

    @Test
    void aBotThatJoinsLateConvergesOnTheListOfThoseBeforeIt()
    {
        final PresenceList early = joinedBefore();

        final PresenceList late = started(3);
        assertTrue(late.apply(List.of(three, one)));
        assertEquals(Map.of(1, member(1), 3, member(3)), late.members(), "the initial list as it arrives");
        assertNotSame(early.members(), late.members());
        assertTrue(late.apply(List.of(two)));
        assertSame(early.members(), late.members(), "once whole, the list the early bot holds");

        final List<PresenceEntry> update = List.of(update(2, "blue"));
        assertTrue(early.apply(update));
        assertTrue(late.apply(update));
        assertSame(early.members(), late.members());
        assertEquals("blue", late.get(2).metadata().get("team"));
    }

    @Test
    void listsOfEntriesEqualAsValuesButNotTheSameInstancesStayApart()
    {
        final Map<String, String> teamThenMode = new LinkedHashMap<>();
        teamThenMode.put("team", "red");
        teamThenMode.put("mode", "ctf");
        final Map<String, String> modeThenTeam = new LinkedHashMap<>();
        modeThenTeam.put("mode", "ctf");
        modeThenTeam.put("team", "red");
        final PresenceList first = started(0);
        final PresenceList second = started(0);

        assertTrue(first.apply(List.of(new PresenceEntry(PresenceEntry.OP_JOIN, 1, 11, "bot-1", teamThenMode, 0))));
        assertTrue(second.apply(List.of(new PresenceEntry(PresenceEntry.OP_JOIN, 1, 11, "bot-1", modeThenTeam, 0))));

        assertEquals(first.members(), second.members(), "equal as maps, which ignore the order");
        assertNotSame(first.members(), second.members());
        assertEquals(List.of("team", "mode"), List.copyOf(first.get(1).metadata().keySet()));
        assertEquals(List.of("mode", "team"), List.copyOf(second.get(1).metadata().keySet()));
    }

    @Test
    void aMessageThatContradictsTheListIsRefusedAndTheSharedListStandsAsItWas()
    {
        final PresenceList list = started(0);
        assertTrue(list.apply(List.of(one)));
        final Map<Integer, PresenceList.Member> before = list.members();

        assertFalse(list.apply(List.of(join(2), join(1))), "a join of a player present");
        assertFalse(list.apply(List.of(update(3, "blue"))), "an update of a player absent");
        assertFalse(list.apply(List.of(leave(3))), "a leave of a player absent");
        assertFalse(list.apply(List.of(new PresenceEntry(9, 4, 14, "bot-4", Map.of(), 0))), "an unknown op");
        assertSame(before, list.members());
        assertNull(list.get(2));

        final PresenceList late = started(2);
        assertFalse(late.apply(List.of(one, one)), "a join repeated in the initial list");
        assertEquals(1, late.size(), "as it stood before the entry that contradicts it");
        assertSame(one, late.get(1));
    }

    @Test
    void theKeptStatesAndTransitionsStartOverWhenFullAndStillShareWhatComesAfter()
    {
        PresenceStates.State state = states.empty();
        int players = 0;
        while (players <= PresenceStates.MAX_KEPT_PLAYERS)
        {
            final int before = states.keptPlayers();
            state = states.apply(state, List.of(join(state.size() + 1)));
            players += state.size();
            assertTrue(states.keptPlayers() <= PresenceStates.MAX_KEPT_PLAYERS);
            assertTrue(states.keptPlayers() > before || states.keptPlayers() == state.size(), "grows or starts over");
        }
        assertEquals(state.size(), states.keptPlayers(), "started over: the last state alone");

        final PresenceStates rejoins = new PresenceStates();
        final int perMessage = 200;
        final int messages = PresenceStates.MAX_KEPT_TRANSITION_ENTRIES / perMessage + 3;
        for (int m = 0; m < messages; m++)
        {
            final PresenceEntry[] joinsAndLeaves = new PresenceEntry[perMessage];
            for (int i = 0; i < perMessage; i += 2)
            {
                joinsAndLeaves[i] = join(1);
                joinsAndLeaves[i + 1] = leave(1);
            }
            rejoins.apply(rejoins.empty(), List.of(joinsAndLeaves));
            assertTrue(rejoins.keptTransitionEntries() <= PresenceStates.MAX_KEPT_TRANSITION_ENTRIES);
        }
        assertEquals(0, rejoins.keptPlayers(), "every message ends where it started: no player kept");
        assertEquals(3 * perMessage, rejoins.keptTransitionEntries(), "new instances each time: started over once");

        final List<PresenceEntry> message = List.of(join(1));
        assertSame(rejoins.apply(rejoins.empty(), message), rejoins.apply(rejoins.empty(), message));
    }

    /**
     * @return the list of a bot in the room before the three players, told of them in two messages.
     */
    private PresenceList joinedBefore()
    {
        final PresenceList early = started(0);
        assertTrue(early.apply(List.of(one, two)));
        assertTrue(early.apply(List.of(three)));
        return early;
    }

    private PresenceList started(final int initialCount)
    {
        final PresenceList list = new PresenceList(states);
        list.start(initialCount);
        return list;
    }

    private static PresenceEntry join(final int playerId)
    {
        return new PresenceEntry(PresenceEntry.OP_JOIN, playerId, 10 + playerId, "bot-" + playerId,
            Map.of("team", "red"), 0);
    }

    private static PresenceEntry update(final int playerId, final String team)
    {
        return new PresenceEntry(PresenceEntry.OP_UPDATE, playerId, 10 + playerId, "bot-" + playerId,
            Map.of("team", team), 0);
    }

    private static PresenceEntry leave(final int playerId)
    {
        return new PresenceEntry(PresenceEntry.OP_LEAVE, playerId, 0, "", Map.of(), LeaveReason.LEFT.code());
    }

    private static PresenceList.Member member(final int playerId)
    {
        return new PresenceList.Member("bot-" + playerId, Map.of("team", "red"));
    }
}
