package io.tickwire.cluster;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import io.tickwire.sim.checkpoint.CheckpointSink;

/**
 * This server's membership in a cluster (design §2, §5): registers the node and its rooms in Redis, detects dead
 * nodes, restores their rooms here when assigned, uploads checkpoints, and serves matchmaking and reservations.
 *
 * <p>Threads: one {@code tickwire-cluster} scheduler thread runs the periodic work and every callback into the
 * {@link ClusterHost}; Lettuce's I/O thread completes commands. {@link #start} and {@link #close} block (the
 * caller's thread at startup and shutdown); every other method is non-blocking and thread safe.
 */
public final class ClusterNode implements AutoCloseable
{
    private ClusterNode()
    {
    }

    /**
     * Connects to Redis, loads the scripts, registers the node with a first heartbeat and starts the periodic work.
     * Blocks up to a few command timeouts.
     *
     * @param config the settings
     * @param host   the server this node runs in
     * @return the running node
     * @throws IllegalStateException when Redis cannot be reached or refuses the scripts
     */
    public static ClusterNode start(final ClusterConfig config, final ClusterHost host)
    {
        throw new UnsupportedOperationException("API only; implementation follows");
    }

    /** @return this node's id, {@code <host>:<port>-<8 hex>}, new at every start */
    public String nodeId()
    {
        throw new UnsupportedOperationException();
    }

    /** @return the matchmaker ({@code POST /matchmake} on any node) */
    public Matchmaker matchmaker()
    {
        throw new UnsupportedOperationException();
    }

    /** @return the verifier of reservation tokens presented at this node's handshakes (audience = this node) */
    public ReservationTokens reservations()
    {
        throw new UnsupportedOperationException();
    }

    /** @return the cluster-wide room list, refreshed every listing period */
    public RoomsListing roomsListing()
    {
        throw new UnsupportedOperationException();
    }

    /** @return where shards offer checkpoint frames; never blocks, a full queue releases the frame and counts it */
    public CheckpointSink checkpointSink()
    {
        throw new UnsupportedOperationException();
    }

    /**
     * Takes a verified reservation's seat ({@code consume.lua}); at most once per reservation cluster-wide.
     *
     * @param reservation a reservation {@link ReservationTokens#verify} accepted
     * @return the outcome; never completes exceptionally ({@link ConsumeResult#UNAVAILABLE} on Redis failure)
     */
    public CompletionStage<ConsumeResult> consume(final Reservation reservation)
    {
        throw new UnsupportedOperationException();
    }

    /**
     * Graceful drain: the node leaves the load set (no new rooms), writes the checkpoints the shards took for the
     * drain, then hands every room to other nodes ({@code release.lua}). Call after the shards were asked to drain
     * with a checkpoint first.
     *
     * @param timeout how long to wait for the drain checkpoints
     * @return completes when the rooms are handed over (or could not be: then exceptionally)
     */
    public CompletionStage<Void> handOver(final Duration timeout)
    {
        throw new UnsupportedOperationException();
    }

    /** @return this node's counters */
    public ClusterCounters counters()
    {
        throw new UnsupportedOperationException();
    }

    /** Leaves the cluster ({@code leave.lua}) and shuts the Redis client down. Blocks up to a command timeout. */
    public void close()
    {
        throw new UnsupportedOperationException();
    }
}
