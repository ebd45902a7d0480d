package io.tickwire.cluster;

import java.util.concurrent.CompletionStage;

/**
 * Reserves seats cluster-wide (design §3). Thread safe: any thread may call it, typically an event loop handling
 * {@code POST /matchmake}. It never blocks: the stage completes on a Lettuce or cluster thread, so callers hop
 * back to their own thread (e.g. {@code channel.eventLoop()}) to answer.
 */
public interface Matchmaker
{
    /**
     * @param request a request whose type and options the caller checked for syntax (the matchmaker checks the
     *                type is hosted somewhere)
     * @return the reservation, or an error with its HTTP status; never completes exceptionally
     */
    CompletionStage<MatchResult> matchmake(MatchRequest request);
}
