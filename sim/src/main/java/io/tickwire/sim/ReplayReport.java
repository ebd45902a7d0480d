package io.tickwire.sim;

/**
 * What a {@link RoomReplayer} found: how many ticks it ran and how many recorded checksums its own matched.
 *
 * @param ticks             ticks replayed.
 * @param worldChecks       TICK records checked.
 * @param worldMatches      of those, the world checksums equal to the recording's.
 * @param viewChecks        views rebuilt for FANOUT records.
 * @param viewMatches       of those, the view checksums equal to the recording's.
 * @param firstMismatchTick the tick of the first difference; -1 when none.
 * @param firstMismatch     what differed first (the record kind and player), or null.
 * @param gameErrors        exceptions the game threw during the replay (caught as the shard does).
 */
public record ReplayReport(
    long ticks, long worldChecks, long worldMatches, long viewChecks, long viewMatches, long firstMismatchTick,
    String firstMismatch, long gameErrors)
{
    /**
     * @return true when every checksum matched and nothing else differed.
     */
    public boolean allMatch()
    {
        return firstMismatch == null && worldChecks == worldMatches && viewChecks == viewMatches;
    }

    /**
     * @return {@code ticks N, world checksums a/b, view checksums c/d, first mismatch at tick T (what)}, or {@code
     * ..., no mismatch}.
     */
    public String toString()
    {
        return "ticks " + ticks + ", world checksums " + worldMatches + "/" + worldChecks + ", view checksums " +
            viewMatches + "/" + viewChecks + (firstMismatch == null ? ", no mismatch" :
            ", first mismatch at tick " + firstMismatchTick + " (" + firstMismatch + ")") +
            (gameErrors > 0 ? ", game errors " + gameErrors : "");
    }
}
