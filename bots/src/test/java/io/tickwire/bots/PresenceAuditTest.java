package io.tickwire.bots;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Audits crafted presence reports: rooms whose bots agree, disagree on a name or metadata, or miss a joined bot.
 */
class PresenceAuditTest
{
    private static final PresenceList.Member ONE = new PresenceList.Member("bot-1", Map.of("team", "red"));
    private static final PresenceList.Member TWO = new PresenceList.Member("bot-2", Map.of("team", "blue"));
    private static final Map<Integer, PresenceList.Member> BOTH = Map.of(1, ONE, 2, TWO);

    @Test
    void botsThatAgreeAndAreAllListedMatch()
    {
        final PresenceAudit.Result result = PresenceAudit.audit(List.of(
            new PresenceAudit.Report("arena-0", 1, "bot-1", BOTH),
            new PresenceAudit.Report("arena-0", 2, "bot-2", BOTH),
            new PresenceAudit.Report("arena-1", 3, "bot-3", Map.of(3, new PresenceList.Member("bot-3", Map.of())))));

        assertEquals(new PresenceAudit.Result(2, 0), result);
    }

    @Test
    void aRoomWhoseBotsDisagreeOnMetadataIsAMismatch()
    {
        final Map<Integer, PresenceList.Member> stale =
            Map.of(1, ONE, 2, new PresenceList.Member("bot-2", Map.of("team", "red")));

        final PresenceAudit.Result result = PresenceAudit.audit(List.of(
            new PresenceAudit.Report("arena-0", 1, "bot-1", BOTH),
            new PresenceAudit.Report("arena-0", 2, "bot-2", stale)));

        assertEquals(new PresenceAudit.Result(1, 1), result);
    }

    @Test
    void aRoomThatMissesAJoinedBotOrNamesItWronglyIsAMismatch()
    {
        final PresenceAudit.Result missing = PresenceAudit.audit(List.of(
            new PresenceAudit.Report("arena-0", 1, "bot-1", Map.of(1, ONE)),
            new PresenceAudit.Report("arena-0", 2, "bot-2", Map.of(1, ONE))));
        final PresenceAudit.Result misnamed = PresenceAudit.audit(List.of(
            new PresenceAudit.Report("arena-0", 1, "bot-9", Map.of(1, ONE))));

        assertEquals(new PresenceAudit.Result(1, 1), missing);
        assertEquals(new PresenceAudit.Result(1, 1), misnamed);
    }

    @Test
    void reportsOfEqualListsHoldOneInstanceAndAuditTheSame()
    {
        final Map<Map<Integer, PresenceList.Member>, Map<Integer, PresenceList.Member>> lists = new HashMap<>();
        final PresenceAudit.Report first =
            PresenceAudit.shareEqualLists(new PresenceAudit.Report("arena-0", 1, "bot-1", new TreeMap<>(BOTH)), lists);
        final PresenceAudit.Report second =
            PresenceAudit.shareEqualLists(new PresenceAudit.Report("arena-0", 2, "bot-2", new TreeMap<>(BOTH)), lists);
        final PresenceAudit.Report stale = PresenceAudit.shareEqualLists(
            new PresenceAudit.Report("arena-0", 2, "bot-2", Map.of(1, ONE)), lists);

        assertSame(first.members(), second.members());
        assertEquals(new PresenceAudit.Report("arena-0", 2, "bot-2", BOTH), second);
        assertNotSame(first.members(), stale.members());
        assertEquals(2, lists.size());
        assertEquals(new PresenceAudit.Result(1, 0), PresenceAudit.audit(List.of(first, second)));
    }

    @Test
    void noReportsNoRooms()
    {
        assertEquals(PresenceAudit.Result.NONE, PresenceAudit.audit(List.of()));
    }
}
