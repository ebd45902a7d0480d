package io.tickwire.net;

import io.tickwire.cluster.ClusterConfig;
import io.tickwire.cluster.ClusterCounters;
import io.tickwire.cluster.ClusterHost;
import io.tickwire.cluster.ClusterNode;
import io.tickwire.cluster.ClusterRoom;
import io.tickwire.cluster.ConsumeResult;
import io.tickwire.cluster.MatchError;
import io.tickwire.cluster.MatchRequest;
import io.tickwire.cluster.MatchResult;
import io.tickwire.cluster.Matchmaker;
import io.tickwire.cluster.Reservation;
import io.tickwire.cluster.ReservationTokens;
import io.tickwire.net.pipeline.ReservationGate;
import io.tickwire.sim.checkpoint.CheckpointFrame;
import io.tickwire.sim.checkpoint.CheckpointSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server's membership in a cluster: the current {@link ClusterNode}, behind the interfaces the shards (checkpoint
 * sink), the event loops (matchmaker, reservation gate) and the HTTP endpoints use. A node that Redis reaped while it
 * was alive (a stall, a partition) is replaced by a new one, under a new id, on a thread of its own; until it is up,
 * matchmakes answer 503, reservations are refused and checkpoints are dropped. Thread safe: the node is one volatile
 * reference, read without locks on every path.
 */
final class ClusterLink implements CheckpointSink, Matchmaker, ReservationGate
{
    private static final Logger LOGGER = LoggerFactory.getLogger(ClusterLink.class);
    private static final ReservationTokens.Verdict NO_NODE =
        new ReservationTokens.Verdict(null, ReservationTokens.Refusal.WRONG_NODE);

    private final ClusterConfig config;
    private final AtomicBoolean restarting = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ClusterNode node;
    private volatile ClusterCounters lastCounters = new ClusterCounters();
    private ClusterHost host;

    ClusterLink(final ClusterConfig config)
    {
        this.config = config;
    }

    ClusterConfig config()
    {
        return config;
    }

    /**
     * Joins the cluster. Blocks up to a few Redis command timeouts; the starting thread.
     *
     * @throws IllegalStateException when Redis cannot be reached.
     */
    void start(final ClusterHost clusterHost)
    {
        this.host = clusterHost;
        node = ClusterNode.start(config, clusterHost);
        lastCounters = node.counters();
        LOGGER.info("joined the cluster at {} as node {}", config.redisUri(), node.nodeId());
    }

    /**
     * @return whether a node of this server is in the cluster now: false before {@link #start}, after
     * {@link #close()}, and while a node reaped while alive is replaced. Any thread.
     */
    boolean isJoined()
    {
        return node != null;
    }

    /**
     * Reaped while alive: leaves the old node and joins again under a new id, on a thread of its own (never the
     * cluster thread, which called in). Only one restart runs at a time; none after {@link #close()}.
     */
    void restartAfterGone()
    {
        if (closed.get() || !restarting.compareAndSet(false, true))
        {
            return;
        }
        final ClusterNode gone = node;
        node = null;
        final Thread restarter = new Thread(() ->
        {
            try
            {
                LOGGER.warn("node {} was reaped while alive: its rooms were closed, joining again", gone.nodeId());
                gone.close();
                if (!closed.get())
                {
                    start(host);
                }
            }
            catch (final RuntimeException ex)
            {
                LOGGER.error("could not join the cluster again; this node serves no clustered players", ex);
            }
            finally
            {
                restarting.set(false);
            }
        }, "tickwire-cluster-rejoin");
        restarter.setDaemon(true);
        restarter.start();
    }

    /**
     * @return this node's id, or null while it joins again.
     */
    String nodeId()
    {
        final ClusterNode current = node;
        return current == null ? null : current.nodeId();
    }

    /**
     * Shard thread: hands the frame to the node's uploader; false (the shard releases it) while no node is up.
     */
    public boolean offer(final CheckpointFrame frame)
    {
        final ClusterNode current = node;
        return current != null && current.checkpointSink().offer(frame);
    }

    public CompletionStage<MatchResult> matchmake(final MatchRequest request)
    {
        final ClusterNode current = node;
        if (current == null)
        {
            final MatchError error = MatchError.UNAVAILABLE;
            return CompletableFuture.completedFuture(new MatchResult(
                null, null, null, 0, null, null, error.name(), error.httpStatus(), error.retryAfterMs()));
        }
        return current.matchmaker().matchmake(request);
    }

    public ReservationTokens.Verdict verify(final String token)
    {
        final ClusterNode current = node;
        return current == null ? NO_NODE : current.reservations().verify(token);
    }

    public ReservationTokens.Verdict verifyProof(final String token)
    {
        final ClusterNode current = node;
        return current == null ? NO_NODE : current.reservations().verifyRejoinProof(token);
    }

    public CompletionStage<ConsumeResult> consume(final Reservation reservation)
    {
        final ClusterNode current = node;
        return current == null ? CompletableFuture.completedFuture(ConsumeResult.UNAVAILABLE) :
            current.consume(reservation);
    }

    /**
     * @return the rooms of the whole cluster at the last refresh (at most about a second old); empty while no node is
     * up. Any thread.
     */
    List<ClusterRoom> rooms()
    {
        final ClusterNode current = node;
        return current == null ? List.of() : current.roomsListing().rooms();
    }

    /**
     * @return the counters of the current node (of the last one while a new one joins).
     */
    ClusterCounters counters()
    {
        return lastCounters;
    }

    /**
     * Graceful drain, first step: the node stops taking new rooms, notes the rooms it runs and their ticks, and
     * will hand them to other nodes once each has a checkpoint at least that new (a registered room that runs no
     * more closed on its own, and is dropped instead). Ask the shards to drain with a checkpoint first right after
     * this call, so the rooms are noted before they close. Blocks for at most a Redis command timeout, until the
     * cluster thread has noted them. Any thread.
     *
     * @param timeout how long to wait for the drain checkpoints.
     * @return completes when the rooms are handed over; null when no node is up.
     */
    CompletionStage<Void> startHandOver(final Duration timeout)
    {
        final ClusterNode current = node;
        return current == null ? null : current.handOver(timeout);
    }

    /**
     * Waits for a handover {@link #startHandOver} started. Blocks up to {@code timeout}; the draining thread.
     *
     * @return whether every room was handed over in time.
     */
    static boolean awaitHandOver(final CompletionStage<Void> handOver, final Duration timeout)
    {
        if (handOver == null)
        {
            return false;
        }
        try
        {
            handOver.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            LOGGER.warn("rooms not handed over within {} ms: {}", timeout.toMillis(), ex.toString());
            return false;
        }
    }

    /**
     * Leaves the cluster ({@code leave.lua}) and closes the Redis client. Blocks up to a command timeout; idempotent.
     */
    void close()
    {
        if (closed.compareAndSet(false, true))
        {
            final ClusterNode current = node;
            node = null;
            if (current != null)
            {
                current.close();
            }
        }
    }
}
