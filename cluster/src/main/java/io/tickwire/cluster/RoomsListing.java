package io.tickwire.cluster;

import java.util.List;

/** The rooms of the whole cluster, refreshed by the cluster thread once per listing period. Any thread may read. */
public interface RoomsListing
{
    /** @return the rooms at the last refresh, sorted by name, unmodifiable; empty before the first */
    List<ClusterRoom> rooms();

    /** @return epoch ms of the last successful refresh, 0 before the first */
    long refreshedAtMs();
}
