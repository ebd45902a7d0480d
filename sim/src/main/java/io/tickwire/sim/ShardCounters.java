package io.tickwire.sim;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one shard. Written by the shard thread only, readable from any thread (metrics, tests).
 */
public final class ShardCounters
{
    public final AtomicLong ticks = new AtomicLong();
    public final AtomicLong catchUpTicks = new AtomicLong();
    public final AtomicLong overrunTicks = new AtomicLong();
    public final AtomicLong joins = new AtomicLong();
    public final AtomicLong joinsRefused = new AtomicLong();
    public final AtomicLong leaves = new AtomicLong();
    public final AtomicLong inputsApplied = new AtomicLong();
    /** Inputs accepted into a client's pending buffer: each is then applied, or discarded if its client leaves. */
    public final AtomicLong inputsQueued = new AtomicLong();
    /** Inputs still pending when their client left: never applied. */
    public final AtomicLong inputsDiscarded = new AtomicLong();
    /** Inputs not newer than the last one received from that client: duplicates or reordered. */
    public final AtomicLong inputsStale = new AtomicLong();
    /** Inputs dropped because the client's pending-input buffer was full. */
    public final AtomicLong inputsOverflowed = new AtomicLong();
    /** Inputs, leaves and acks from a connection with no client on this shard. */
    public final AtomicLong eventsWithoutClient = new AtomicLong();
    /** Acks newer than the last snapshot sent, or older than the client's current ack. */
    public final AtomicLong acksIgnored = new AtomicLong();
    public final AtomicLong snapshotsSent = new AtomicLong();
    /** Snapshots skipped because the connection was not writable or an unwritten one was replaced. */
    public final AtomicLong snapshotsConflated = new AtomicLong();
    public final AtomicLong snapshotBytes = new AtomicLong();
    /** Snapshots sent whole: no acknowledged baseline within the history window. */
    public final AtomicLong fullSnapshots = new AtomicLong();
    public final AtomicLong fullSnapshotBytes = new AtomicLong();
    /** Snapshots sent as a delta against the client's acknowledged baseline. */
    public final AtomicLong deltaSnapshots = new AtomicLong();
    public final AtomicLong deltaSnapshotBytes = new AtomicLong();
    /** Snapshot bodies encoded once and shared by two or more clients of a room in a tick. */
    public final AtomicLong sharedSnapshotBodies = new AtomicLong();
    /** Snapshots sent on a body encoded for another client (an encode saved each). */
    public final AtomicLong sharedSnapshotReuses = new AtomicLong();
    /** Snapshots not sent because the shard was overloaded and the client was at a reduced snapshot rate. */
    public final AtomicLong snapshotsSkippedForOverload = new AtomicLong();
    /**
     * Snapshots not sent to a client that fell out of the history window, in the ticks after a full snapshot it has
     * not acknowledged yet.
     */
    public final AtomicLong snapshotsSkippedForLag = new AtomicLong();
    /** Gauge: the shard's overload level at the end of its last tick, 0 (none) to {@link OverloadGovernor#MAX_LEVEL}. */
    public final AtomicLong overloadLevel = new AtomicLong();
    /** Gauge: clients sent snapshots at a reduced rate in the last tick. */
    public final AtomicLong clientsAtReducedRate = new AtomicLong();
    public final AtomicLong roomsCreated = new AtomicLong();
    public final AtomicLong roomsDisposed = new AtomicLong();
    /** Joins the game refused in {@code onJoinRequest}. */
    public final AtomicLong joinsRefusedByGame = new AtomicLong();
    /** Rejoins (a reservation that took back a seat) that found no seat of their identity: closed 4008. */
    public final AtomicLong rejoinsWithoutSeat = new AtomicLong();
    /** Rooms not created because the shard or the server (in total or for the type) held its maximum. */
    public final AtomicLong roomsRefused = new AtomicLong();
    /** Players the game kicked. */
    public final AtomicLong kicks = new AtomicLong();
    /** Game messages clients sent, handed to the game. */
    public final AtomicLong clientMessages = new AtomicLong();
    /** Room messages the games sent (a broadcast counts once). */
    public final AtomicLong roomMessagesSent = new AtomicLong();
    /** Presence events the rooms sent (one per event, however many clients receive it). */
    public final AtomicLong presenceEvents = new AtomicLong();
    /** Stream messages (room messages and presence) handed to client links, one per recipient. */
    public final AtomicLong streamMessages = new AtomicLong();
    /** Stream acks newer than the last stream message sent, or older than the client's current one. */
    public final AtomicLong streamAcksIgnored = new AtomicLong();
    /** Clients closed (4002) because they left too many stream messages unacknowledged. */
    public final AtomicLong messageBacklogCloses = new AtomicLong();
    /** Players whose connection dropped and who kept their seat for a resume. */
    public final AtomicLong seatsHeld = new AtomicLong();
    /** Seats taken back with a resume token. */
    public final AtomicLong resumes = new AtomicLong();
    /** Resumes refused: unknown, used or expired token, another identity's token, or a stream ack out of range. */
    public final AtomicLong resumesRefused = new AtomicLong();
    /** Seats taken over by a newer connection of the same identity. */
    public final AtomicLong seatsReplaced = new AtomicLong();
    /** Players whose seat grace ran out: they left as disconnected. */
    public final AtomicLong seatsExpired = new AtomicLong();
    /** Client messages dropped after a resume because the room had them already (resent by the client). */
    public final AtomicLong clientMessagesDuplicate = new AtomicLong();
    /** Clients closed (1002) because the first client message after a resume skipped sequences. */
    public final AtomicLong clientMessageGaps = new AtomicLong();
    /** Rooms closed because their game failed {@link ShardConfig#maxFaultedTicks()} ticks in a row. */
    public final AtomicLong roomsClosedFaulted = new AtomicLong();
    /** Checkpoints offered to the sink and taken by it. */
    public final AtomicLong checkpoints = new AtomicLong();
    /** Checkpoints due but skipped: both of the room's frames were still held by consumers. */
    public final AtomicLong checkpointsSkipped = new AtomicLong();
    /** Checkpoints the sink refused (its queue was full). */
    public final AtomicLong checkpointsDropped = new AtomicLong();
    /** Checkpoints that failed: the game's {@code save} threw (also counted in {@link #gameErrors}). */
    public final AtomicLong checkpointsFailed = new AtomicLong();
    /** Rooms restored from a checkpoint. */
    public final AtomicLong restores = new AtomicLong();
    /** Restores refused or failed: name taken, unknown type, shard full, bad state, the game's restore threw. */
    public final AtomicLong restoresFailed = new AtomicLong();
    /** Restored rooms whose first capture differed from the one checkpointed (the room runs on). */
    public final AtomicLong restoreMismatches = new AtomicLong();
    /** Exceptions thrown by game callbacks; each is also counted in {@link #errors}. */
    public final AtomicLong gameErrors = new AtomicLong();
    /** Exceptions thrown by game code or event handling, caught at the loop boundary. */
    public final AtomicLong errors = new AtomicLong();
    /** Rooms and clients at the end of the last tick. */
    public final AtomicLong rooms = new AtomicLong();
    public final AtomicLong clients = new AtomicLong();
    /**
     * {@link org.agrona.concurrent.NanoClock} time at which the shard's last ticking cycle started (its
     * construction until the first): a shard whose value stops advancing is stalled or dead.
     */
    public final AtomicLong lastTickStartNs = new AtomicLong();
}
