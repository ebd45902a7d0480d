package io.tickwire.net;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickwire.cluster.ClusterCounters;
import io.tickwire.cluster.ConsumeResult;
import io.tickwire.cluster.MatchError;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.TickTimings;
import io.tickwire.sim.journal.JournalWriterAgent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The server's metrics in the Prometheus text format, served at {@code GET /metrics}.
 * <pre>
 *   written on hot paths, as before                 read only when scraped
 *   ShardCounters (shard thread), NetCounters   --> Micrometer FunctionCounter / Gauge bound to them
 *   (event loops), InputRing (any)
 *   TickTimings (shard thread, HdrHistogram     --> TickTimingsCollector: one interval sample per scrape,
 *   single-writer recorders)                        summaries with quantiles, _count and _sum, plus _max
 * </pre>
 * No Micrometer meter is updated on a shard thread or per message: every meter reads a counter the server keeps
 * anyway, so a scrape reads each counter once and swaps two histograms per shard. Names carry the
 * {@code tickwire_} prefix and their unit; per-shard meters have a {@code shard} tag. The registry holds the
 * sources weakly: the server holds them for its life.
 * <p>
 * {@link #scrape} is thread safe and runs on the event loop that received the request: it reads counters, and the
 * histogram swap waits only for a shard's record in progress (tens of nanoseconds; HdrHistogram's reader backs off
 * 0.5 ms in the rare case it meets one).
 */
public final class ServerMetrics
{
    /** What {@link PrometheusMeterRegistry#scrape(OutputStream)} writes: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String SHARD = "shard";
    private static final String KIND = "kind";
    private static final String REASON = "reason";
    private static final String RESULT = "result";
    private static final String BYTES = "bytes";
    private static final String EVENTS = "events";

    /** Fails a registration whose Prometheus name clashes (for example a counter ending in _created) at once. */
    private final PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).throwExceptionOnRegistrationFailure();
    private final TickTimingsCollector tickTimings = new TickTimingsCollector();
    private final NetCounters netCounters;
    private volatile Supplier<ClusterCounters> clusterCounters;

    public ServerMetrics(final NetCounters counters)
    {
        this.netCounters = counters;
        registry.getPrometheusRegistry().register(tickTimings);
        bindConnections(counters);
        bindMessages(counters);
        bindHttp(counters);
    }

    /**
     * Binds the journal writer's counters: {@code tickwire_journal_dropped_total} (records lost to a full ring, each
     * breaking its room's journal), {@code tickwire_journal_errors_total} (journals stopped by a failed write) and
     * {@code tickwire_journal_written_bytes_total}. Call once; thread safe.
     */
    public void bindJournal(final JournalWriterAgent journal)
    {
        counter("tickwire.journal.dropped", null, "Journal records lost because the journal ring was full",
            Tags.empty(), journal, JournalWriterAgent::droppedRecords);
        counter("tickwire.journal.errors", null, "Room journals stopped because a file could not be written",
            Tags.empty(), journal, JournalWriterAgent::ioErrors);
        counter("tickwire.journal.written", BYTES, "Bytes written to journal and checkpoint files", Tags.empty(),
            journal, JournalWriterAgent::bytesWritten);
    }

    /**
     * Binds one shard's counters, input ring and tick timings, tagged {@code shard="<shard>"}. Call once per shard;
     * thread safe.
     */
    public void bindShard(
        final int shard, final ShardCounters counters, final InputRing ring, final TickTimings timings)
    {
        final Tags tags = Tags.of(SHARD, Integer.toString(shard));
        tickTimings.add(shard, timings);

        gauge("tickwire.rooms", null, "Rooms at the shard's last tick", tags, counters, c -> c.rooms.get());
        gauge("tickwire.clients", null, "Clients in the shard's rooms at its last tick", tags, counters,
            c -> c.clients.get());
        counter("tickwire.ticks", null, "Ticks run; its rate is the achieved tick rate", tags, counters,
            c -> c.ticks.get());
        counter("tickwire.catch.up.ticks", null, "Ticks run back to back to catch up after a late start", tags,
            counters, c -> c.catchUpTicks.get());
        counter("tickwire.overrun.ticks", null, "Ticks skipped because more than the catch-up limit were due",
            tags, counters, c -> c.overrunTicks.get());

        gauge("tickwire.ring.occupancy", EVENTS, "Events in the shard's input ring not yet drained", tags, ring,
            InputRing::occupancy);
        gauge("tickwire.ring.capacity", EVENTS, "Size of the shard's input ring", tags, ring, InputRing::capacity);
        counter("tickwire.ring.refused", EVENTS, "Events refused because the shard's input ring was full", tags,
            ring, InputRing::refusedCount);

        counter("tickwire.inputs.applied", null, "Inputs applied to the game", tags, counters,
            c -> c.inputsApplied.get());
        counter("tickwire.inputs.queued", null, "Inputs accepted into a client's pending buffer", tags, counters,
            c -> c.inputsQueued.get());
        counter("tickwire.inputs.discarded", null, "Inputs still pending when their client left, never applied",
            tags, counters, c -> c.inputsDiscarded.get());
        final String dropped = "Inputs dropped: stale (not newer than the last received) or overflow (the " +
            "client's pending-input buffer was full)";
        counter("tickwire.inputs.dropped", null, dropped, tags.and(REASON, "stale"), counters,
            c -> c.inputsStale.get());
        counter("tickwire.inputs.dropped", null, dropped, tags.and(REASON, "overflow"), counters,
            c -> c.inputsOverflowed.get());
        counter("tickwire.acks.ignored", null, "Acks from the future or older than the client's current ack",
            tags, counters, c -> c.acksIgnored.get());
        counter("tickwire.events.without.client", null, "Inputs, leaves and acks from a connection with no " +
            "client on the shard", tags, counters, c -> c.eventsWithoutClient.get());

        final String sent = "Snapshots encoded and offered: full (no acknowledged baseline in the window) or delta";
        counter("tickwire.snapshots.sent", null, sent, tags.and(KIND, "full"), counters,
            c -> c.fullSnapshots.get());
        counter("tickwire.snapshots.sent", null, sent, tags.and(KIND, "delta"), counters,
            c -> c.deltaSnapshots.get());
        final String sentBytes = "Bytes of snapshots encoded and offered, by kind";
        counter("tickwire.snapshot", BYTES, sentBytes, tags.and(KIND, "full"), counters,
            c -> c.fullSnapshotBytes.get());
        counter("tickwire.snapshot", BYTES, sentBytes, tags.and(KIND, "delta"), counters,
            c -> c.deltaSnapshotBytes.get());
        counter("tickwire.snapshots.conflated", null, "Snapshots skipped (connection not writable) or replaced " +
            "unwritten by a newer one", tags, counters, c -> c.snapshotsConflated.get());
        counter("tickwire.snapshot.bodies.shared", null, "Snapshot bodies encoded once for two or more clients " +
            "of a room seeing the same entities against the same baseline", tags, counters,
            c -> c.sharedSnapshotBodies.get());
        counter("tickwire.snapshot.bodies.reused", null, "Snapshots sent on a body encoded for another client " +
            "(one encode and one copy saved each)", tags, counters, c -> c.sharedSnapshotReuses.get());
        counter("tickwire.snapshots.skipped.overload", null, "Snapshots not sent because the shard was " +
            "saturated and the client was at a reduced snapshot rate", tags, counters,
            c -> c.snapshotsSkippedForOverload.get());
        counter("tickwire.snapshots.skipped.lag", null, "Snapshots not sent to a client without a usable baseline " +
            "(a joiner, or one that fell out of the history window) in the ticks after a full snapshot it has not " +
            "acknowledged yet", tags, counters,
            c -> c.snapshotsSkippedForLag.get());
        gauge("tickwire.overload.level", null, "The shard's overload level: 0 sends every client every tick; at " +
            "level L the costliest clients get one snapshot in L + 1 ticks, the others one in L", tags, counters,
            c -> c.overloadLevel.get());
        gauge("tickwire.clients.reduced.rate", null, "Clients sent snapshots at a reduced rate in the last tick " +
            "because the shard was saturated", tags, counters, c -> c.clientsAtReducedRate.get());

        counter("tickwire.joins", null, "Clients that joined a room", tags, counters, c -> c.joins.get());
        counter("tickwire.joins.refused", null, "Joins the shard refused: room full or no room can be created",
            tags, counters, c -> c.joinsRefused.get());
        counter("tickwire.leaves", null, "Clients that left or whose connection closed", tags, counters,
            c -> c.leaves.get());
        counter("tickwire.room.creations", null, "Rooms created", tags, counters, c -> c.roomsCreated.get());
        counter("tickwire.room.disposals", null, "Rooms disposed: empty past their keep-alive, or closed", tags,
            counters, c -> c.roomsDisposed.get());
        counter("tickwire.rooms.closed", null, "Rooms closed while in use, by reason", tags.and(REASON, "faulted"),
            counters, c -> c.roomsClosedFaulted.get());
        counter("tickwire.errors", null, "Exceptions from game code or event handling caught at the shard loop " +
            "boundary", tags, counters, c -> c.errors.get());
        counter("tickwire.game.errors", null, "Exceptions thrown by game callbacks (also counted in errors)", tags,
            counters, c -> c.gameErrors.get());
        counter("tickwire.joins.refused.by.game", null, "Joins the game refused in onJoinRequest", tags, counters,
            c -> c.joinsRefusedByGame.get());
        counter("tickwire.rejoins.without.seat", null, "Rejoin reservations whose JOIN found no seat of their " +
            "identity (closed 4008)", tags, counters, c -> c.rejoinsWithoutSeat.get());
        counter("tickwire.rooms.refused", null, "Rooms not created: a room limit was reached", tags, counters,
            c -> c.roomsRefused.get());
        counter("tickwire.kicks", null, "Players the game kicked", tags, counters, c -> c.kicks.get());
        counter("tickwire.client.messages", null, "Game messages from clients handed to the game", tags, counters,
            c -> c.clientMessages.get());
        counter("tickwire.room.messages", null, "Room messages the games sent (a broadcast counts once)", tags,
            counters, c -> c.roomMessagesSent.get());
        counter("tickwire.presence.events", null, "Presence events (join, leave, update)", tags, counters,
            c -> c.presenceEvents.get());
        counter("tickwire.stream.messages", null, "Room messages and presence events handed to client links, one " +
            "per recipient", tags, counters, c -> c.streamMessages.get());
        counter("tickwire.stream.acks.ignored", null, "Stream acks from the future or older than the current one",
            tags, counters, c -> c.streamAcksIgnored.get());
        counter("tickwire.message.backlog.closes", null, "Clients closed (4002) for leaving too many stream " +
            "messages unacknowledged", tags, counters, c -> c.messageBacklogCloses.get());
        bindResume(tags, counters);
    }

    private void bindResume(final Tags tags, final ShardCounters counters)
    {
        counter("tickwire.seats.held", null, "Players whose connection dropped and who kept their seat for a resume",
            tags, counters, c -> c.seatsHeld.get());
        counter("tickwire.resumes", null, "Seats taken back with a resume token", tags, counters,
            c -> c.resumes.get());
        counter("tickwire.resumes.refused", null, "Resumes refused (4005): unknown, used or expired token, another " +
            "room's or identity's token, stream ack out of range", tags, counters, c -> c.resumesRefused.get());
        counter("tickwire.seats.replaced", null, "Seats taken by a newer connection of the same identity (4004)",
            tags, counters, c -> c.seatsReplaced.get());
        counter("tickwire.seats.expired", null, "Held seats whose grace ran out: the player left as disconnected",
            tags, counters, c -> c.seatsExpired.get());
        counter("tickwire.client.messages.duplicate", null, "Client messages sent again after a resume that the " +
            "room had already, dropped", tags, counters, c -> c.clientMessagesDuplicate.get());
        counter("tickwire.client.message.gaps", null, "Connections closed (1002) whose first message after a " +
            "resume skipped sequences", tags, counters, c -> c.clientMessageGaps.get());
    }

    /**
     * Binds the counters of event loops paced to ticks ({@code --io-pacing tick}); the server holds the pacer.
     */
    void bindIo(final TickPacer pacer)
    {
        final Tags none = Tags.empty();
        counter("tickwire.io.wakeups", null, "Times the paced event loops woke from sleeping: for a task, a read " +
            "pass before a tick, a timer or the longest sleep", none, pacer, TickPacer::loopWakeups);
        counter("tickwire.io.gather.timeouts", null, "Ticks that went on without every event loop's read pass " +
            "(a loop busy for half a tick)", none, pacer, TickPacer::gatherTimeouts);
        counter("tickwire.io.pass.reads.connections", null, "WebSocket connections whose sockets the paced event " +
            "loops read themselves in their read passes, instead of through Netty's read path", none, pacer,
            TickPacer::passReadConnections);
        gauge("tickwire.io.pass.reads.open", null, "WebSocket connections the read passes read now", none, pacer,
            TickPacer::passReading);
        counter("tickwire.io.pass.reads.handbacks", null, "Connections the read passes handed back to Netty's read " +
            "path (end of stream, read error, close frame)", none, pacer, TickPacer::passReadHandBacks);
    }

    /**
     * Binds the counter of the event loops' batched writes.
     */
    void bindWrites(final EventLoopOutbounds outbounds)
    {
        counter("tickwire.io.sends.batched", null, "Sends the event loops batched through their io_uring send rings, " +
            "a drain's snapshots in one submission (--io-writes); stays 0 while each frame is written by itself",
            Tags.empty(), outbounds, EventLoopOutbounds::sentByRing);
    }

    /**
     * Clustered: registers the counters of the node's cluster membership and of matchmaking and reservations.
     *
     * @param cluster the counters of the current cluster node (a node reaped while alive rejoins with new ones).
     */
    public void bindCluster(final Supplier<ClusterCounters> cluster)
    {
        // Micrometer holds a meter's source weakly: the sources are this, which the server holds, and its field.
        this.clusterCounters = cluster;
        final ServerMetrics metrics = this;
        final Tags none = Tags.empty();
        counter("tickwire.cluster.heartbeats.failed", null, "Heartbeats Redis did not take (error or timeout)", none,
            metrics, m -> m.clusterCounters.get().heartbeatsFailed());
        counter("tickwire.cluster.reaped.nodes", null, "Dead nodes this node removed from the directory", none,
            metrics, m -> m.clusterCounters.get().reapedNodes());
        counter("tickwire.cluster.rooms.restored", null, "Rooms restored here from a dead or drained node's checkpoint",
            none, metrics, m -> m.clusterCounters.get().roomsRestored());
        counter("tickwire.cluster.restores.failed", null, "Restores that failed: bad checkpoint, game refused, ring " +
            "full", none, metrics, m -> m.clusterCounters.get().restoresFailed());
        counter("tickwire.cluster.checkpoints.written", null, "Room checkpoints written to Redis", none, metrics,
            m -> m.clusterCounters.get().checkpointsWritten());
        counter("tickwire.cluster.checkpoints.dropped", null, "Room checkpoints not written: queue full, encoding or " +
            "Redis failed", none, metrics, m -> m.clusterCounters.get().checkpointsDropped());
        counter("tickwire.cluster.checkpoints.fenced", null, "Checkpoints refused because another node owns the room",
            none, metrics, m -> m.clusterCounters.get().checkpointsFenced());
        counter("tickwire.cluster.syncs", null, "Room sync rounds Redis answered", none, metrics,
            m -> m.clusterCounters.get().syncs());
        counter("tickwire.cluster.syncs.failed", null, "Room registrations Redis did not take", none, metrics,
            m -> m.clusterCounters.get().syncsFailed());
        counter("tickwire.cluster.rooms.fenced", null, "Rooms this node stopped serving because another owns them",
            none, metrics, m -> m.clusterCounters.get().roomsFenced());
        final String matchmakes = "Matchmakes this node served, by result";
        counter("tickwire.cluster.matchmakes", null, matchmakes, Tags.of(RESULT, "OK"), metrics,
            m -> m.clusterCounters.get().matchmakesOk());
        for (final MatchError error : MatchError.values())
        {
            counter("tickwire.cluster.matchmakes", null, matchmakes, Tags.of(RESULT, error.name()), metrics,
                m -> m.clusterCounters.get().matchmakesFailed(error));
        }
        final String consumed = "Seat reservations presented at handshakes, by outcome";
        for (final ConsumeResult result : ConsumeResult.values())
        {
            counter("tickwire.cluster.reservations", null, consumed, Tags.of(RESULT, result.name()), metrics,
                m -> m.clusterCounters.get().consumes(result));
        }
        counter("tickwire.matchmake.requests", null, "POST /matchmake answered, by outcome",
            Tags.of(RESULT, "reserved"), netCounters, c -> c.matchmakes.get());
        counter("tickwire.matchmake.requests", null, "POST /matchmake answered, by outcome",
            Tags.of(RESULT, "refused"), netCounters, c -> c.matchmakesRefused.get());
        counter("tickwire.matchmake.throttled", null, "POST /matchmake refused 429: the address's matchmake budget " +
            "was spent (also counted refused)", none, netCounters, c -> c.matchmakesThrottled.get());
        counter("tickwire.reservation.mismatches", null, "Connections closed (4008) whose JOIN did not match their " +
            "reservation", none, netCounters, c -> c.reservationMismatches.get());
        counter("tickwire.room.moved.closes", null, "Sessions closed (NOTICE 12, 1001) because their room moved to " +
            "another node", none, netCounters, c -> c.roomMovedCloses.get());
    }

    /**
     * Writes every metric in the Prometheus text format ({@link #CONTENT_TYPE}). Any thread. Takes the interval
     * sample of each shard's tick timings, so the quantiles cover the time since the previous scrape.
     */
    public void scrape(final OutputStream out) throws IOException
    {
        registry.scrape(out);
    }

    private void bindConnections(final NetCounters counters)
    {
        final Tags none = Tags.empty();
        gauge("tickwire.connections.active", null, "Open TCP connections, HTTP and WebSocket", none, counters,
            NetCounters::activeConnections);
        counter("tickwire.connections.opened", null, "TCP connections accepted", none, counters,
            c -> c.connectionsOpened.get());
        counter("tickwire.connections.closed", null, "TCP connections closed", none, counters,
            c -> c.connectionsClosed.get());
        counter("tickwire.handshakes", null, "WebSocket handshakes completed, each starting a session", none,
            counters, c -> c.handshakes.get());
        gauge("tickwire.sessions.active", null, "WebSocket sessions whose connection is open", none, counters,
            NetCounters::activeSessions);
        counter("tickwire.handshakes.refused", null, "Upgrades refused: origin, subprotocol or token", none,
            counters, c -> c.handshakesRefused.get());
        final String refused = "Connections refused before becoming a session, by reason (see SECURITY.md)";
        for (final Refusal reason : Refusal.values())
        {
            counter("tickwire.refusals", null, refused, Tags.of(REASON, reason.name()), counters,
                c -> c.refusals(reason));
        }
        counter("tickwire.idle.timeouts", null, "Connections closed for being silent too long", none, counters,
            c -> c.idleTimeouts.get());
        counter("tickwire.not.reading.closes", null, "Connections closed (4006) for not reading past the deadline",
            none, counters, c -> c.notReadingCloses.get());
        counter("tickwire.shard.failure.closes", null, "Sessions closed (1011) because their shard failed", none,
            counters, c -> c.shardFailureCloses.get());
        counter("tickwire.drain.forced.closes", null, "Connections still open at a drain's deadline, cut off", none,
            counters, c -> c.drainForcedCloses.get());
        counter("tickwire.outbound.frames", null, "WebSocket frames written by the event loops", none, counters,
            c -> c.framesWritten.sum());
        counter("tickwire.outbound", BYTES, "Bytes of WebSocket frames written by the event loops", none, counters,
            c -> c.bytesWritten.sum());
        counter("tickwire.inbound.frames", null, "WebSocket frames read from clients, control frames included", none,
            counters, c -> c.framesRead.sum());
    }

    private void bindMessages(final NetCounters counters)
    {
        final String invalid = "Connections closed for an invalid message, by reason";
        for (final ClientMessageError error : ClientMessageError.values())
        {
            if (error != ClientMessageError.NONE)
            {
                counter("tickwire.invalid.messages", null, invalid, Tags.of(REASON, error.name()), counters,
                    c -> c.invalidMessages(error));
            }
        }

        final String message = "message";
        final String busy = "Client messages refused because the shard's input ring was full, by message";
        counter("tickwire.busy.refusals", null, busy, Tags.of(message, "join"), counters,
            c -> c.joinsRefusedBusy.get());
        counter("tickwire.busy.refusals", null, busy, Tags.of(message, "input"), counters,
            c -> c.inputsRefusedBusy.get());
        counter("tickwire.busy.refusals", null, busy, Tags.of(message, "message"), counters,
            c -> c.messagesRefusedBusy.get());
        counter("tickwire.busy.refusals", null, busy, Tags.of(message, "ack"), counters,
            c -> c.acksRefusedBusy.get());
        counter("tickwire.busy.refusals", null, busy, Tags.of(message, "leave"), counters,
            c -> c.leavesRefusedBusy.get());
    }

    private void bindHttp(final NetCounters counters)
    {
        final String endpoint = "endpoint";
        final String served = "HTTP requests answered 200, by endpoint";
        counter("tickwire.http.requests", null, served, Tags.of(endpoint, "health"), counters,
            c -> c.healthRequests.get());
        counter("tickwire.http.requests", null, served, Tags.of(endpoint, "metrics"), counters,
            c -> c.metricsRequests.get());
        counter("tickwire.http.requests", null, served, Tags.of(endpoint, "rooms"), counters,
            c -> c.roomsRequests.get());
        counter("tickwire.http.requests", null, served, Tags.of(endpoint, "server"), counters,
            c -> c.serverInfoRequests.get());
        counter("tickwire.http.requests", null, served, Tags.of(endpoint, "static"), counters,
            c -> c.staticFileRequests.get());
        counter("tickwire.http.requests", null, served, Tags.of(endpoint, "room"), counters,
            c -> c.roomInspections.get());

        final String status = "status";
        final String refused = "HTTP requests refused: 404 unknown path, 405 not a GET, 503 room inspection busy";
        counter("tickwire.http.refused", null, refused, Tags.of(status, "404"), counters,
            c -> c.httpNotFound.get());
        counter("tickwire.http.refused", null, refused, Tags.of(status, "405"), counters,
            c -> c.httpMethodNotAllowed.get());
        counter("tickwire.http.refused", null, refused, Tags.of(status, "503"), counters,
            c -> c.roomInspectionsRefused.get());
    }

    /**
     * Registers a counter read from {@code source} at each scrape. Meters of one name share their description and
     * tag keys.
     */
    private <T> void counter(
        final String name, final String baseUnit, final String help, final Tags tags, final T source,
        final ToDoubleFunction<T> count)
    {
        FunctionCounter.builder(name, source, count).baseUnit(baseUnit).description(help).tags(tags)
            .register(registry);
    }

    /**
     * Registers a gauge read from {@code source} at each scrape.
     */
    private <T> void gauge(
        final String name, final String baseUnit, final String help, final Tags tags, final T source,
        final ToDoubleFunction<T> value)
    {
        Gauge.builder(name, source, value).baseUnit(baseUnit).description(help).tags(tags).register(registry);
    }
}
