package io.tickwire.cluster;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tickwire.api.GameType;
import io.tickwire.cluster.RedisDirectory.HeartbeatReply;
import io.tickwire.cluster.RoomDirectory.HostedType;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.checkpoint.CheckpointSink;

/**
 * This server's membership in a cluster (design §2, §5): registers the node and its rooms in Redis, detects dead
 * nodes, restores their rooms here when assigned, uploads checkpoints, and serves matchmaking and reservations.
 * <pre>
 *   tickwire-cluster (one thread)            Lettuce I/O thread           Redis
 *     heartbeat   every heartbeatPeriodMs --> EVALSHA heartbeat ------->  nodes, load, node:{id}, assign:{id}
 *     sync        every syncPeriodMs      --> EVALSHA sync (batches) -->  room:*, rooms, open:*, rsv:*
 *     reap        every reapPeriodMs      --> EVALSHA reap ------------>  dead nodes out, rooms re-homed
 *     listing     every listingPeriodMs   --> ZRANGE + HMGET pipeline ->  (cached for /rooms, matchmaker)
 *     checkpoints every 20 ms             --> EVALSHA checkpoint ------>  ckpt:{room}
 *   completions hop back to tickwire-cluster; ClusterHost is only called there.
 * </pre>
 *
 * <p>{@link #start} and {@link #close} block (the caller's thread at startup and shutdown), and {@link #handOver}
 * for at most a command timeout; every other method is non-blocking and thread safe.
 */
public final class ClusterNode implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final long CHECKPOINT_DRAIN_PERIOD_MS = 20;
    private static final long HANDOVER_POLL_MS = 20;
    private static final int LOAD_PER_ROOM = 16;
    private static final int LOAD_PER_LATE_MS = 4;

    private final ClusterConfig config;
    private final ClusterHost host;
    private final String nodeId;
    private final String gamesField;
    private final ScheduledExecutorService executor;
    private final RedisDirectory directory;
    private final ClusterCounters counters = new ClusterCounters();
    private final ReservationTokens tokens;
    private final RoomDirectory rooms = new RoomDirectory();
    private final ClusterMatchmaker matchmaker;
    private final CheckpointUploader uploader;
    private final RoomSync sync;
    private final RehomeRestorer restorer;
    private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<String, Boolean> inFlight = new HashMap<>();
    private volatile boolean draining;
    private volatile boolean gone;

    private ClusterNode(final ClusterConfig config, final ClusterHost host, final String nodeId)
    {
        this.config = config;
        this.host = host;
        this.nodeId = nodeId;
        this.gamesField = gamesField(host);
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "tickwire-cluster");
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            this.directory = RedisDirectory.connect(config, executor);
        }
        catch (final RuntimeException ex)
        {
            executor.shutdownNow();
            throw ex;
        }
        final Clock clock = Clock.systemUTC();
        this.tokens = new ReservationTokens(config.secret(), nodeId, clock);
        this.matchmaker = new ClusterMatchmaker(directory, rooms, host.catalog(), tokens, counters,
            config.reservationTtlMs(), nodeId.substring(nodeId.length() - 8, nodeId.length() - 2));
        this.uploader = new CheckpointUploader(config.checkpointQueueCapacity(), directory, nodeId, counters);
        this.sync = new RoomSync(directory, host, nodeId, counters, this::onGone, () -> draining);
        this.restorer = new RehomeRestorer(directory, host, nodeId, sync, counters, executor);
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
        final byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        final String nodeId = config.advertisedHostPort() + "-" + HexFormat.of().formatHex(suffix);
        final ClusterNode node = new ClusterNode(config, host, nodeId);
        try
        {
            final HeartbeatReply first = CompletableFuture.supplyAsync(() -> node.heartbeat(true), node.executor)
                .thenCompose(reply -> reply).get(config.commandTimeoutMs() * 3, TimeUnit.MILLISECONDS);
            if (first.gone())
            {
                throw new IllegalStateException("a first heartbeat cannot be refused");
            }
        }
        catch (final Exception ex)
        {
            node.shutdown();
            throw new IllegalStateException("cannot register node " + nodeId + " in Redis: " + ex, ex);
        }
        node.schedule("heartbeat", config.heartbeatPeriodMs(), node::beat);
        node.schedule("sync", config.syncPeriodMs(), node.sync::run);
        node.schedule("reap", config.reapPeriodMs(), node::reap);
        node.schedule("listing", config.listingPeriodMs(), node::refreshListing);
        node.schedule("checkpoints", CHECKPOINT_DRAIN_PERIOD_MS, node.uploader::drain);
        node.executor.execute(node::refreshListing);
        LOG.info("cluster node {} joined {} (prefix {})", nodeId, config.redisUri(), config.prefix());
        return node;
    }

    /** @return this node's id, {@code <host>:<port>-<8 hex>}, new at every start */
    public String nodeId()
    {
        return nodeId;
    }

    /** @return the matchmaker ({@code POST /matchmake} on any node) */
    public Matchmaker matchmaker()
    {
        return matchmaker;
    }

    /** @return the verifier of reservation tokens presented at this node's handshakes (audience = this node) */
    public ReservationTokens reservations()
    {
        return tokens;
    }

    /** @return the cluster-wide room list, refreshed every listing period */
    public RoomsListing roomsListing()
    {
        return rooms;
    }

    /** @return where shards offer checkpoint frames; never blocks, a full queue refuses the frame and counts it */
    public CheckpointSink checkpointSink()
    {
        return uploader;
    }

    /** @return this node's counters */
    public ClusterCounters counters()
    {
        return counters;
    }

    /**
     * Takes a verified reservation's seat ({@code consume.lua}); at most once per reservation cluster-wide.
     *
     * @param reservation a reservation {@link ReservationTokens#verify} accepted
     * @return the outcome, completed on the cluster thread; never completes exceptionally
     *         ({@link ConsumeResult#UNAVAILABLE} on Redis failure)
     */
    public CompletionStage<ConsumeResult> consume(final Reservation reservation)
    {
        return directory.consume(reservation.room(), reservation.rid(), nodeId, ClusterMatchmaker.HOLD_MS)
            .handle((word, failure) ->
            {
                final ConsumeResult result = failure != null ? ConsumeResult.UNAVAILABLE : consumeResultOf(word);
                counters.onConsume(result);
                return result;
            });
    }

    /**
     * Graceful drain: the node leaves the load set (no new rooms) and reports its rooms locked, waits until each room
     * registered in Redis has a checkpoint written at or after the tick it was last registered with (the shards are
     * asked to drain with a checkpoint first), then hands every room with a checkpoint to other nodes
     * ({@code release.lua}). Rooms whose game does not checkpoint are not waited for, nor, once every shard has
     * drained or failed, rooms that got no drain checkpoint (a save that failed, an upload that failed or was
     * fenced). At the timeout the rooms are handed over with the checkpoints they have. A registered room the shards
     * no longer run when this is called closed on its own (a shard with checkpoints publishes its rooms at the end
     * of the tick that closed one), and its closure was not synced yet: it is reported closed just before the
     * handover, so it does not come back on another node. (A room that closes on its own after this call and before
     * its shard drains, within about a tick, gets no drain checkpoint and is still handed over with the checkpoint
     * it has.) From the handover on the node syncs no more: a sync would register again the rooms the handover
     * dropped.
     *
     * <p>Blocks until the cluster thread has noted the rooms that run (at most a command timeout): call it before the
     * shards are asked to drain, so that none is taken for closed, and never on the cluster thread.
     *
     * @param timeout how long to wait for the drain checkpoints
     * @return completes when the rooms are handed over; exceptionally when Redis refused the handover
     */
    public CompletionStage<Void> handOver(final Duration timeout)
    {
        draining = true;
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final Set<String> closedBeforeDrain = roomsClosedBeforeDrain();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() ->
        {
            uploader.trackUploadedTicks();
            final Map<String, Long> awaited = new LinkedHashMap<>();
            if (config.checkpointIntervalMs() > 0)
            {
                for (final RoomInfo room : sync.synced().values())
                {
                    final GameType type = host.catalog().get(room.type());
                    if (!closedBeforeDrain.contains(room.name()) && type != null && type.checkpointVersion() > 0)
                    {
                        awaited.put(room.name(), room.tick());
                    }
                }
            }
            awaitCheckpoints(awaited, closedBeforeDrain, deadlineNs, done);
        });
        return done;
    }

    /**
     * Has the cluster thread (the host is only called there) compare, in one task, the rooms the shards publish now
     * with the rooms Redis may list as this node's. Not on the cluster thread itself, which would wait for its own
     * task.
     *
     * @return the rooms registered here that no shard runs: closed on their own, their closure not synced yet;
     *         empty when that thread did not answer within a command timeout (no room is then taken for closed)
     */
    private Set<String> roomsClosedBeforeDrain()
    {
        final Future<Set<String>> closed = executor.submit(() ->
        {
            final Set<String> running = new HashSet<>();
            for (final RoomInfo room : host.publishedRooms())
            {
                running.add(room.name());
            }
            return sync.ownedRoomsNotIn(running);
        });
        try
        {
            return closed.get(config.commandTimeoutMs(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            closed.cancel(false);
            LOG.warn("interrupted while noting the rooms that run: a room that closed just before the drain may be "
                + "handed over");
            return Set.of();
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            closed.cancel(false);
            LOG.warn("the rooms that run were not noted before the drain: a room that closed just before it may be "
                + "handed over", ex);
            return Set.of();
        }
    }

    /**
     * Leaves the cluster ({@code leave.lua}) and shuts the Redis client down. Blocks up to two command timeouts and
     * Lettuce's shutdown. Idempotent.
     */
    public void close()
    {
        if (closed.getAndSet(true))
        {
            return;
        }
        gone = true;
        for (final ScheduledFuture<?> task : tasks)
        {
            task.cancel(false);
        }
        try
        {
            directory.leave(nodeId).get(config.commandTimeoutMs() * 2, TimeUnit.MILLISECONDS);
            LOG.info("cluster node {} left", nodeId);
        }
        catch (final Exception ex)
        {
            LOG.warn("cluster node {} could not leave cleanly (it will be reaped): {}", nodeId, ex.toString());
        }
        shutdown();
    }

    /** Stops the periodic work without leaving: to the others this node dies (tests simulate a crash with it). */
    void stopWithoutLeaving()
    {
        if (closed.getAndSet(true))
        {
            return;
        }
        gone = true;
        shutdown();
    }

    private void shutdown()
    {
        executor.shutdownNow();
        directory.close();
    }

    private void awaitCheckpoints(
        final Map<String, Long> awaited, final Set<String> closedBeforeDrain, final long deadlineNs,
        final CompletableFuture<Void> done)
    {
        // Read before the queue: a shard offers its drain checkpoints before it says it drained.
        final boolean shardsDrained = host.shardsDrained();
        uploader.drain();
        awaited.entrySet().removeIf(room -> uploader.uploadedTick(room.getKey()) >= room.getValue());
        final boolean checkpointsMayCome = !awaited.isEmpty() && !shardsDrained;
        if ((checkpointsMayCome || !uploader.isIdle()) && System.nanoTime() < deadlineNs)
        {
            executor.schedule(() -> awaitCheckpoints(awaited, closedBeforeDrain, deadlineNs, done), HANDOVER_POLL_MS,
                TimeUnit.MILLISECONDS);
            return;
        }
        if (!awaited.isEmpty())
        {
            LOG.warn("handing over without a drain checkpoint of {} room(s) ({}): {}", awaited.size(),
                shardsDrained && uploader.isIdle() ?
                    "not saved, closed after the rooms were noted, or its upload failed or was fenced" :
                    "the deadline passed",
                awaited.keySet());
        }
        // Sent before the release on the same connection, so no sync can list a room again once it is handed over,
        // and the closures run first: a room that closed on its own is dropped, not moved.
        sync.stop();
        if (!closedBeforeDrain.isEmpty())
        {
            LOG.info("reporting {} room(s) closed before the drain: {}", closedBeforeDrain.size(), closedBeforeDrain);
            sync.reportClosedNow(closedBeforeDrain);
        }
        directory.release(nodeId).whenComplete((moved, failure) ->
        {
            if (failure != null)
            {
                done.completeExceptionally(failure);
                return;
            }
            LOG.info("cluster node {} handed over {} room(s)", nodeId, moved.size());
            done.complete(null);
        });
    }

    private CompletableFuture<HeartbeatReply> heartbeat(final boolean first)
    {
        final List<RoomInfo> published = host.publishedRooms();
        final int clients = host.clients();
        final long lateMs = host.latenessP99Ms();
        final long load = clients + (long)LOAD_PER_ROOM * published.size() + LOAD_PER_LATE_MS * lateMs;
        return directory.heartbeat(nodeId, config.publicUrl(), gamesField, published.size(), clients, lateMs,
            draining, load, first);
    }

    private void beat()
    {
        if (begin("heartbeat"))
        {
            heartbeat(false).whenComplete((reply, failure) ->
            {
                end("heartbeat");
                if (failure != null)
                {
                    counters.onHeartbeatFailed();
                    LOG.debug("heartbeat failed: {}", failure.toString());
                }
                else if (reply.gone())
                {
                    onGone();
                }
                else
                {
                    restorer.onAssigned(reply.assigned());
                }
            });
        }
    }

    private void reap()
    {
        if (begin("reap"))
        {
            directory.reap(config.deadAfterMs()).whenComplete((reply, failure) ->
            {
                end("reap");
                if (failure == null && !reply.reapedNodes().isEmpty())
                {
                    counters.onReaped(reply.reapedNodes().size());
                    LOG.info("reaped dead node(s) {}; rooms re-homed: {}", reply.reapedNodes(), reply.movedRooms());
                }
            });
        }
    }

    private void refreshListing()
    {
        if (begin("listing"))
        {
            directory.rooms().thenCombine(directory.nodeGames(), (list, games) ->
            {
                rooms.onRooms(list, System.currentTimeMillis());
                rooms.onNodeGames(games);
                return list;
            }).whenComplete((list, failure) -> end("listing"));
        }
    }

    private void onGone()
    {
        if (!gone)
        {
            gone = true;
            for (final ScheduledFuture<?> task : tasks)
            {
                task.cancel(false);
            }
            LOG.warn("cluster node {} was reaped while alive: closing its rooms", nodeId);
            host.onGone();
        }
    }

    private boolean begin(final String task)
    {
        return inFlight.put(task, Boolean.TRUE) == null;
    }

    private void end(final String task)
    {
        inFlight.remove(task);
    }

    private void schedule(final String name, final long periodMs, final Runnable task)
    {
        tasks.add(executor.scheduleAtFixedRate(() ->
        {
            try
            {
                task.run();
            }
            catch (final Throwable ex)
            {
                LOG.error("cluster task {} failed", name, ex);
            }
        }, periodMs, periodMs, TimeUnit.MILLISECONDS));
    }

    private static ConsumeResult consumeResultOf(final String word)
    {
        switch (word == null ? "" : word)
        {
            case "OK":
                return ConsumeResult.OK;
            case "REJOIN":
                return ConsumeResult.REJOIN;
            case "EXPIRED":
                return ConsumeResult.EXPIRED;
            case "WRONG_NODE":
                return ConsumeResult.WRONG_NODE;
            default:
                return ConsumeResult.USED;
        }
    }

    private static String gamesField(final ClusterHost host)
    {
        final Map<String, HostedType> hosted = new LinkedHashMap<>();
        for (final GameType type : host.catalog().types())
        {
            hosted.put(type.name(), new HostedType(type.maxClients(), type.clientsMayCreateRooms()));
        }
        return RoomDirectory.gamesField(hosted);
    }
}
