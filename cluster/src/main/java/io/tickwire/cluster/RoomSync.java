package io.tickwire.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tickwire.cluster.RedisDirectory.RoomLine;
import io.tickwire.cluster.RedisDirectory.SyncReply;
import io.tickwire.sim.RoomInfo;

/**
 * Keeps this node's rooms current in Redis ({@code sync.lua}): every period, every published room as live, and each
 * room that vanished since as closed (resent until a sync succeeds). A room counts as this node's from the first sync
 * that sent it (answered or not: Redis may have run a sync whose answer was lost) or from its restore here (the
 * reaper or a draining node registered it here before it ran), so a room that closes before any sync answered for
 * it is reported closed all the same, and its keys go with it. Fenced rooms (another node or epoch owns them) are
 * closed locally. While the node drains, closures are not reported (the rooms are being handed over, and a closure
 * would delete their checkpoints) and every room is reported locked; the rooms that closed before the drain are
 * reported closed once, just before the handover ({@link #reportClosedNow}); after it, nothing is sent.
 * Cluster thread only.
 */
final class RoomSync
{
    private static final int BATCH_ROOMS = 256;

    private final RedisDirectory directory;
    private final ClusterHost host;
    private final String nodeId;
    private final ClusterCounters counters;
    private final Runnable onGone;
    private final BooleanSupplier draining;
    private final ObjectMapper json = new ObjectMapper();
    private Map<String, RoomInfo> synced = new HashMap<>();
    /** Every room Redis may list as this node's, by name, with its epoch, until a sync closed it or fenced it. */
    private final Map<String, Long> owned = new HashMap<>();
    private final Map<String, Long> closing = new HashMap<>();
    private boolean inFlight;
    private boolean stopped;

    RoomSync(
        final RedisDirectory directory, final ClusterHost host, final String nodeId, final ClusterCounters counters,
        final Runnable onGone, final BooleanSupplier draining)
    {
        this.directory = directory;
        this.host = host;
        this.nodeId = nodeId;
        this.counters = counters;
        this.onGone = onGone;
        this.draining = draining;
    }

    /**
     * A room this node was to restore failed: report it closed under its epoch, which drops it and its checkpoint.
     *
     * @param room  the room
     * @param epoch the epoch it was assigned under
     */
    void reportClosed(final String room, final long epoch)
    {
        closing.put(room, epoch);
    }

    /**
     * A room assigned here was restored and runs: it is this node's from now on, and reported closed once the
     * published rooms leave it out, even when no sync saw it live. Its shard published it before it said so, so the
     * room is not taken for closed before it was ever listed.
     *
     * @param room  the room
     * @param epoch the epoch it was assigned under
     */
    void onRestored(final String room, final long epoch)
    {
        owned.put(room, epoch);
    }

    /**
     * @return the rooms the last successful sync registered in Redis as this node's, by name: what a handover moves
     */
    Map<String, RoomInfo> synced()
    {
        return synced;
    }

    /**
     * The node hands its rooms over: no round is sent from now on. A round already sent runs in Redis before the
     * handover, which is sent after this call on the same connection.
     */
    void stop()
    {
        stopped = true;
    }

    /**
     * @param running the names of the rooms the shards publish now
     * @return the rooms Redis may list as this node's that do not run here: closed on their own since the last round
     *         that saw them, or whose closure no round has sent yet
     */
    Set<String> ownedRoomsNotIn(final Set<String> running)
    {
        final Set<String> closed = new HashSet<>(owned.keySet());
        closed.removeAll(running);
        return closed;
    }

    /**
     * Reports closed, in one sync sent now, the rooms of {@code names} this node owns: rooms that closed on their own
     * just before a drain, whose closure no round sent (a draining node's rounds send none). Their keys and
     * checkpoints go; a handover sent after this on the same connection finds them gone. The reply is not waited for.
     *
     * @param names the rooms, by name
     */
    void reportClosedNow(final Set<String> names)
    {
        final List<RoomLine> lines = new ArrayList<>();
        for (final String room : names)
        {
            final Long epoch = owned.get(room);
            if (epoch != null)
            {
                lines.add(closedLine(room, epoch));
            }
        }
        if (!lines.isEmpty())
        {
            directory.sync(nodeId, lines).whenComplete((reply, failure) ->
            {
                if (failure != null)
                {
                    counters.onSyncFailed();
                }
            });
        }
    }

    /** One sync round; skipped while the previous one is in flight, and after {@link #stop()}. */
    void run()
    {
        if (inFlight || stopped)
        {
            return;
        }
        // Read before the rooms: a drain sets the flag before its shards close any room.
        final boolean drain = draining.getAsBoolean();
        final List<RoomLine> lines = new ArrayList<>();
        final Map<String, RoomInfo> live = new HashMap<>();
        for (final RoomInfo room : host.publishedRooms())
        {
            live.put(room.name(), room);
            owned.put(room.name(), room.epoch());
            lines.add(new RoomLine(room.name(), room.type(), room.epoch(), false, room.clients(), room.maxClients(),
                room.locked() || drain, room.hidden(), metadataJson(room.metadata()), room.tick(),
                room.seatedReservations(), room.restoredFromTick()));
        }
        if (!drain)
        {
            owned.forEach((name, epoch) ->
            {
                if (!live.containsKey(name))
                {
                    closing.put(name, epoch);
                }
            });
        }
        closing.keySet().removeAll(live.keySet());
        final Map<String, Long> closed = new HashMap<>(closing);
        closed.forEach((room, epoch) -> lines.add(closedLine(room, epoch)));
        final Map<String, RoomInfo> registered = new HashMap<>(live);
        if (drain)
        {
            // A room that closed during the drain stays registered (no closure was sent): the handover moves it.
            synced.forEach(registered::putIfAbsent);
        }
        send(lines, registered, closed);
    }

    private void send(
        final List<RoomLine> lines, final Map<String, RoomInfo> registered, final Map<String, Long> closed)
    {
        final List<CompletableFuture<SyncReply>> batches = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += BATCH_ROOMS)
        {
            batches.add(directory.sync(nodeId, lines.subList(from, Math.min(lines.size(), from + BATCH_ROOMS))));
        }
        if (batches.isEmpty())
        {
            batches.add(directory.sync(nodeId, List.of()));
        }
        inFlight = true;
        CompletableFuture.allOf(batches.toArray(new CompletableFuture<?>[0])).whenComplete((done, failure) ->
        {
            inFlight = false;
            if (failure != null)
            {
                counters.onSyncFailed();
                return;
            }
            onSynced(batches, registered, closed);
        });
    }

    private void onSynced(
        final List<CompletableFuture<SyncReply>> batches, final Map<String, RoomInfo> registered,
        final Map<String, Long> closed)
    {
        final Set<String> fenced = new HashSet<>();
        for (final CompletableFuture<SyncReply> batch : batches)
        {
            final SyncReply reply = batch.join();
            if (reply.gone())
            {
                onGone.run();
                return;
            }
            fenced.addAll(reply.fenced());
        }
        closed.forEach(closing::remove);
        closed.forEach(owned::remove);
        owned.keySet().removeAll(fenced);
        registered.keySet().removeAll(fenced);
        synced = registered;
        counters.onSynced();
        if (!fenced.isEmpty())
        {
            counters.onRoomsFenced(fenced.size());
            host.closeRooms(List.copyOf(fenced));
        }
    }

    private static RoomLine closedLine(final String room, final long epoch)
    {
        return new RoomLine(room, "", epoch, true, 0, 0, false, false, "{}", 0, List.of(), RoomInfo.NOT_RESTORED);
    }

    private String metadataJson(final Map<String, String> metadata)
    {
        if (metadata.isEmpty())
        {
            return "{}";
        }
        try
        {
            return json.writeValueAsString(metadata);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("a string map always serializes", ex);
        }
    }
}
