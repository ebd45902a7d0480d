package io.tickwire.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ShardAllocationTest} in a room with interest management off: every client sees every entity, so clients
 * acknowledging the same snapshot share one encoded body, and that path allocates nothing once warm either.
 */
class SharedBodyAllocationTest extends ShardAllocationTest
{
    @Override
    double viewRadius()
    {
        return 0;
    }

    @Override
    void checkSteadyState(final ShardCounters counters)
    {
        assertTrue(counters.sharedSnapshotReuses.get() > counters.sharedSnapshotBodies.get(),
            "bodies were shared: " + counters.sharedSnapshotBodies.get() + " for " +
            counters.sharedSnapshotReuses.get() + " reuses");
    }
}
