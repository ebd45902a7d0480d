package io.tickwire.sim;

import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.ViewChecksum;
import io.tickwire.api.schema.EntitySchema;
import io.tickwire.sim.journal.RoomJournal;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds and offers each client of a room its snapshot for this tick: the entities it can see (interest
 * management), encoded as a delta against the snapshot it acknowledged when that is still in the history window,
 * or whole otherwise. A client whose link is not writable is skipped (conflated): its next snapshot is a delta
 * against its acknowledged baseline, so nothing queues for a slow client.
 * <pre>
 *   per client:  view   = own avatar + entities within the view radius of it (leave radius for those already in
 *                         view: hysteresis), nearest first up to the cap; everything when interest is off
 *                baseline = history[ack] if kept and at most windowTicks old, else none (full snapshot)
 *                merge-walk baseline and view by id: enter / update (changed fields only) / remove
 *   per room:    clients with the same view against a baseline of the same tick and view (or none) get one body
 *                encoded once (operations + checksum) and their own headers; see {@link #plan}
 * </pre>
 * A saturated shard sends some clients a snapshot only every few ticks ({@link #isSkipped}), keeping them on deltas.
 * Shard thread only; allocates nothing once its arrays have grown to the largest room and view.
 */
final class SnapshotFanOut
{
    /** Distinct bodies tracked per room and tick: baselines a few ticks apart, fulls, a handful of shared views. */
    static final int MAX_GROUPS = 32;
    private static final int GROUP_SLOTS = 2 * MAX_GROUPS;
    private static final long FULL_SALT = 0x5DEE_CE66_D1CE_4E5BL;
    /**
     * Stamps of whole views (interest off), one per room and distinct view: a room's whole view keeps its stamp for
     * as long as no entity comes or goes, so its clients' histories share the keys of the view they already hold
     * ({@link ClientHistory#store}). They come from one counter for the process, not one per room, so no two lists of
     * keys share a stamp whichever rooms stored them.
     */
    private static final AtomicLong WHOLE_VIEW_STAMPS = new AtomicLong();

    private final ShardConfig config;
    private final SnapshotEncoder encoder;
    private final int fieldCount;
    private final int xField;
    private final int yField;
    private final long enterRadius;
    private final long leaveRadius;
    /**
     * The longest a client goes without a snapshot, in ticks, whether the shard is overloaded ({@link #isSkipped}) or
     * the client has no usable baseline and awaits the ack of a full snapshot ({@link #awaitsAckOfFull}): a quarter of
     * the window.
     */
    private final int longestPeriodTicks;
    private long[] viewKeys = new long[64];
    private long[] nearest = new long[64];
    private final RowOrder rowOrder = new RowOrder();
    private int[] candidateRows = new int[64];
    private long[] candidateDistances = new long[64];
    private long[] stampedWholeKeys = new long[0];
    private int stampedWholeCount = -1;
    private long stampedWholeHash;
    private long wholeStamp = ClientHistory.NO_STAMP;
    private int[] markBySlot = new int[64];
    private int[] markedIdBySlot = new int[64];
    private int[] journalPlayerIds;
    private int[] journalViewChecksums;
    private int markStamp;

    private RoomClient[] planClient = new RoomClient[0];
    private int[] planSeq = new int[0];
    private int[] planBaseline = new int[0];
    private int[] planStore = new int[0];
    private int[] planGroup = new int[0];
    /** The planned clients in the order {@link #offer} serves them ({@link RankOrder}). */
    private long[] planOrder = new long[0];
    private int planCount;
    /** The next place in {@link #planOrder} to offer, and the end of what this tick offers. */
    private int offered;
    private int offerEnd;
    private int journaledCount;

    private final int[] groupBySlot = new int[GROUP_SLOTS];
    private final long[] groupHash = new long[MAX_GROUPS];
    private final int[] groupLeader = new int[MAX_GROUPS];
    private final int[] groupSize = new int[MAX_GROUPS];
    private final int[] groupOpCount = new int[MAX_GROUPS];
    private final int[] groupChecksum = new int[MAX_GROUPS];
    private final SharedSnapshotBody[] groupBody = new SharedSnapshotBody[MAX_GROUPS];
    private int groupCount;
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(
        new byte[SnapshotHeaderFlyweight.LENGTH + SnapshotHeaderFlyweight.MESSAGE_ACK_LENGTH]);

    private long conflated;
    private long fullCount;
    private long fullBytes;
    private long deltaCount;
    private long deltaBytes;
    private long bodiesShared;
    private long bodiesReused;
    private long skippedForOverload;
    private long skippedForLag;
    private long reducedRateClients;
    private long reducedRateClientsTotal;

    SnapshotFanOut(final ShardConfig config, final EntitySchema schema)
    {
        this.config = config;
        this.encoder = new SnapshotEncoder(schema);
        this.fieldCount = schema.fieldCount();
        this.xField = schema.positionXField();
        this.yField = schema.positionYField();
        final int stepsPerUnit = schema.hasPosition() ? schema.field(xField).stepsPerUnit() : 1;
        this.enterRadius = (long)Math.ceil(config.viewRadius() * stepsPerUnit);
        this.leaveRadius = (long)Math.ceil((config.viewRadius() + config.viewHysteresis()) * stepsPerUnit);
        this.longestPeriodTicks = Math.max(1, config.historyWindowTicks() / 4);
    }

    /**
     * @return true when clients see only what is near them: a view radius is set and the schema has positions.
     */
    boolean interestEnabled()
    {
        return enterRadius > 0 && xField >= 0;
    }

    /**
     * @return the cell size the room's interest grid should use, in position steps.
     */
    int gridCellSize()
    {
        return (int)Math.max(1, enterRadius);
    }

    /**
     * @return the buffer size a snapshot of this room may need: every entity entering and every baseline entity
     * leaving.
     */
    static int maxFrameLength(final EntitySchema schema, final int maxEntities)
    {
        return SnapshotEncoder.maxLength(schema, 2 * maxEntities);
    }

    /**
     * Starts the fan-out of the tick just recorded, in two passes. This first one builds each due client's view, keeps
     * it in its history and groups the clients whose snapshot body (operations and checksum) must be byte-identical:
     * same view, and same baseline tick and view (or both full). It then orders them by the oldest input each snapshot
     * is the first to show ({@link RoomClient#unshownArrival}, {@link RankOrder}), so the second pass, {@link #offer},
     * serves the longest waits first. At most {@value #MAX_GROUPS} groups are tracked per room and tick; clients
     * beyond are encoded alone.
     * <p>
     * Under overload ({@code overloadLevel} above 0) a client may be skipped this tick, see {@link #isSkipped}; so
     * may a client with no usable baseline that was sent a full snapshot lately, see {@link #awaitsAckOfFull}.
     * {@link #offer} and then {@link #complete} follow, whatever either throws.
     *
     * @param sharing       whether {@link #offer} shares bodies ({@link SharedSnapshotBodies}); if not, every client
     *                      is encoded alone.
     * @param overloadLevel the shard's {@link OverloadGovernor#level()}: 0 sends every client every tick.
     */
    void plan(final Room room, final boolean sharing, final int overloadLevel)
    {
        ensureCapacity(room.entities().count(), room.world().slotsUsed(), room.clientCount());
        planClients(room, overloadLevel, sharing);
        for (int p = 0; p < planCount; p++)
        {
            planOrder[p] = planClient[p].unshownArrival();
        }
        RankOrder.sort(planOrder, planCount);
        offerEnd = planCount;
    }

    /**
     * The second pass: encodes (or shares) and offers the planned snapshots in their order, up to the first that
     * shows an input of a rank above {@code lastRank} ({@link ClientLink#UNRANKED} offers the rest). A group of two or
     * more gets one body, encoded at its first member's offer and shared ({@link SharedSnapshotBodies}); each member
     * is written only its header. A client alone in its group is encoded whole into {@code frameBuffer}. If an offer
     * throws, the room offers nothing more this tick.
     *
     * @param frameBuffer scratch space of at least {@link #maxFrameLength} bytes; the link copies what it keeps.
     * @param bodies      where shared bodies are kept until the shard releases them after {@link #complete}; null if
     *                    {@link #plan} was told not to share.
     * @return the number of snapshots offered.
     */
    int offer(final Room room, final UnsafeBuffer frameBuffer, final SharedSnapshotBodies bodies, final long lastRank)
    {
        final int first = offered;
        try
        {
            while (offered < offerEnd)
            {
                final int p = RankOrder.index(planOrder[offered]);
                if (planClient[p].unshownArrival() > lastRank)
                {
                    break;
                }
                offerPlanned(room, p, frameBuffer, bodies);
                offered++;
            }
            return offered - first;
        }
        catch (final Throwable ex)
        {
            offerEnd = offered;
            throw ex;
        }
    }

    /**
     * Ends the tick's fan-out, planned or not: notes the views offered in the room's journal (one FANOUT record), adds
     * the tick's counts to the shard's counters, and drops the plan's references. The shard then drops its references
     * to the shared bodies ({@link SharedSnapshotBodies#releaseShared()}), once every room has completed.
     */
    void complete(final Room room, final ShardCounters counters)
    {
        try
        {
            if (journaledCount > 0)
            {
                room.journal().onFanOut(room.world().currentTick(), journaledCount, journalPlayerIds,
                    journalViewChecksums);
            }
        }
        finally
        {
            for (int g = 0; g < groupCount; g++)
            {
                groupBody[g] = null;
            }
            Arrays.fill(planClient, 0, planCount, null);
            planCount = 0;
            offerEnd = 0;
            offered = 0;
            journaledCount = 0;
            groupCount = 0;
        }

        counters.snapshotsConflated.addAndGet(conflated);
        counters.snapshotsSent.addAndGet(fullCount + deltaCount);
        counters.snapshotBytes.addAndGet(fullBytes + deltaBytes);
        counters.fullSnapshots.addAndGet(fullCount);
        counters.fullSnapshotBytes.addAndGet(fullBytes);
        counters.deltaSnapshots.addAndGet(deltaCount);
        counters.deltaSnapshotBytes.addAndGet(deltaBytes);
        counters.sharedSnapshotBodies.addAndGet(bodiesShared);
        counters.sharedSnapshotReuses.addAndGet(bodiesReused);
        counters.snapshotsSkippedForOverload.addAndGet(skippedForOverload);
        counters.snapshotsSkippedForLag.addAndGet(skippedForLag);
        reducedRateClientsTotal += reducedRateClients;
        conflated = 0;
        fullCount = 0;
        fullBytes = 0;
        deltaCount = 0;
        deltaBytes = 0;
        bodiesShared = 0;
        bodiesReused = 0;
        skippedForOverload = 0;
        skippedForLag = 0;
        reducedRateClients = 0;
    }

    /**
     * The first pass: picks the clients due a snapshot, builds and keeps their views, and groups them.
     */
    private void planClients(final Room room, final int overloadLevel, final boolean sharing)
    {
        final EntityTable entities = room.entities();
        final WorldHistory world = room.world();
        final long tick = world.currentTick();
        final boolean interest = interestEnabled();
        final long meanBytes = overloadLevel > 0 ? meanSnapshotBytes(room) : 0;
        Arrays.fill(groupBySlot, 0);
        groupCount = 0;
        planCount = 0;
        final int wholeCount = interest ? 0 : wholeView(entities, world);
        final long wholeHash = interest ? 0 : ClientHistory.hashOf(viewKeys, wholeCount);
        if (!interest)
        {
            stampWholeView(wholeCount, wholeHash);
        }
        for (int i = 0, n = room.clientCount(); i < n; i++)
        {
            final RoomClient client = room.client(i);
            if (!client.isJoined() || client.isDetached())
            {
                continue;
            }
            if (!client.link.isWritable())
            {
                conflated++;
                continue;
            }

            final ClientHistory history = client.history;
            int baseline = history.find(client.ackedSnapshotSeq());
            if (baseline >= 0 && (tick - history.tick(baseline) > config.historyWindowTicks() ||
                !world.contains(history.tick(baseline))))
            {
                baseline = -1;
            }
            if (baseline < 0 && awaitsAckOfFull(client, tick))
            {
                skippedForLag++;
                continue;
            }
            if (overloadLevel > 0 && isSkipped(client, baseline, tick, overloadLevel, meanBytes))
            {
                skippedForOverload++;
                continue;
            }

            final int viewCount = interest ? nearView(room, client) : wholeCount;
            final int seq = client.nextSnapshotSeq();
            final int p = planCount++;
            history.releaseBefore(client.ackedSnapshotSeq());
            planClient[p] = client;
            planSeq[p] = seq;
            planBaseline[p] = baseline;
            planStore[p] = interest ? history.store(seq, tick, viewKeys, viewCount) :
                history.store(seq, tick, viewKeys, viewCount, wholeHash, wholeStamp);
            planGroup[p] = sharing ? group(p) : -1;
        }
    }

    /**
     * Gives the whole view just built its stamp: the last one when it has the same keys as the view stamped last,
     * else a new one.
     */
    private void stampWholeView(final int count, final long hash)
    {
        if (count == stampedWholeCount && hash == stampedWholeHash &&
            Arrays.equals(stampedWholeKeys, 0, count, viewKeys, 0, count))
        {
            return;
        }
        if (stampedWholeKeys.length < count)
        {
            stampedWholeKeys = new long[viewKeys.length];
        }
        System.arraycopy(viewKeys, 0, stampedWholeKeys, 0, count);
        stampedWholeCount = count;
        stampedWholeHash = hash;
        wholeStamp = WHOLE_VIEW_STAMPS.incrementAndGet();
    }

    /**
     * Encodes (or shares) and offers planned client {@code p}'s snapshot.
     */
    private void offerPlanned(
        final Room room, final int p, final UnsafeBuffer frameBuffer, final SharedSnapshotBodies bodies)
    {
        final WorldHistory world = room.world();
        final long tick = world.currentTick();
        final RoomJournal journal = room.journal();
        final RoomClient client = planClient[p];
        final ClientHistory history = client.history;
        final int seq = planSeq[p];
        final int baseline = planBaseline[p];
        final int store = planStore[p];
        final int group = planGroup[p];
        final int baselineSeq = baseline >= 0 ? client.ackedSnapshotSeq() : Sequence.NONE;
        final int messageAck = client.messageAckFor(seq);
        final boolean shared = group >= 0 && groupSize[group] > 1;
        client.link.rankNextSnapshot(client.takeUnshownArrival());
        final int length;
        final boolean queued;
        final int viewChecksum;
        if (shared && groupBody[group] != null)
        {
            final SharedSnapshotBody body = groupBody[group];
            final int headerLength = encoder.putHeader(headerBuffer, 0, (int)tick, seq, baselineSeq,
                client.lastAppliedInputSeq(), config.checksums(), messageAck, groupOpCount[group]);
            queued = client.link.offerSnapshot(headerBuffer, 0, headerLength, body);
            length = headerLength + body.length();
            viewChecksum = groupChecksum[group];
            bodiesReused++;
        }
        else
        {
            encoder.begin(frameBuffer, 0, (int)tick, seq, baselineSeq,
                baseline >= 0 ? (int)history.tick(baseline) : 0,
                client.lastAppliedInputSeq(), config.checksums(), messageAck);
            if (baseline >= 0)
            {
                encodeDelta(world, tick, history, baseline, history.keys(store), history.count(store));
            }
            else
            {
                encodeFull(world.valuesAt(tick), history.keys(store), history.count(store));
            }
            length = encoder.finish();
            viewChecksum = encoder.viewChecksum();
            if (shared)
            {
                final int headerLength = SnapshotHeaderFlyweight.LENGTH +
                    (messageAck != Sequence.NONE ? SnapshotHeaderFlyweight.MESSAGE_ACK_LENGTH : 0);
                final SharedSnapshotBody body = bodies.share(frameBuffer, headerLength, length - headerLength);
                groupBody[group] = body;
                groupOpCount[group] = encoder.opCount();
                groupChecksum[group] = viewChecksum;
                bodiesShared++;
                queued = client.link.offerSnapshot(frameBuffer, 0, headerLength, body);
            }
            else
            {
                queued = client.link.offerSnapshot(frameBuffer, 0, length);
            }
        }
        client.lastSnapshotBytes(length);
        if (baseline < 0)
        {
            client.onFullSnapshotSent(tick);
        }

        if (journal != null)
        {
            journaledCount = journalView(room, journaledCount, client.id(), viewChecksum);
            if (journal.wantsViews())
            {
                journal.onView(tick, client.id(), history.keys(store), history.count(store));
            }
        }
        tally(baseline >= 0, length, queued);
    }

    private void tally(final boolean delta, final int length, final boolean queued)
    {
        if (!queued)
        {
            conflated++;
        }
        if (delta)
        {
            deltaCount++;
            deltaBytes += length;
        }
        else
        {
            fullCount++;
            fullBytes += length;
        }
    }

    /**
     * Finds or opens the group of planned client {@code p}: the clients planned before it whose snapshot body is
     * byte-identical to its own, checked exactly (views and baseline compared key by key), not by hash alone.
     *
     * @return the group's index, or -1 when the table is full and {@code p} matches none of its groups.
     */
    private int group(final int p)
    {
        final ClientHistory history = planClient[p].history;
        final int baseline = planBaseline[p];
        long hash = history.hash(planStore[p]);
        hash ^= baseline >= 0 ? (history.hash(baseline) + history.tick(baseline)) * 0xC2B2_AE3D_27D4_EB4FL : FULL_SALT;
        hash ^= hash >>> 31;
        for (int probe = 0; probe < GROUP_SLOTS; probe++)
        {
            final int slot = (int)(hash + probe) & (GROUP_SLOTS - 1);
            final int entry = groupBySlot[slot];
            if (entry == 0)
            {
                if (groupCount == MAX_GROUPS)
                {
                    return -1;
                }
                final int g = groupCount++;
                groupBySlot[slot] = g + 1;
                groupHash[g] = hash;
                groupLeader[g] = p;
                groupSize[g] = 1;
                return g;
            }
            final int g = entry - 1;
            if (groupHash[g] == hash && sameBody(groupLeader[g], p))
            {
                groupSize[g]++;
                return g;
            }
        }
        return -1;
    }

    /**
     * @return whether planned clients {@code a} and {@code b} get the same snapshot body: the same view, and either
     * both no baseline (full) or baselines of the same tick with the same view.
     */
    private boolean sameBody(final int a, final int b)
    {
        final ClientHistory historyA = planClient[a].history;
        final ClientHistory historyB = planClient[b].history;
        if (!historyA.sameView(planStore[a], historyB, planStore[b]))
        {
            return false;
        }
        final int baselineA = planBaseline[a];
        final int baselineB = planBaseline[b];
        if (baselineA < 0 || baselineB < 0)
        {
            return baselineA == baselineB;
        }
        return historyA.tick(baselineA) == historyB.tick(baselineB) &&
            historyA.sameView(baselineA, historyB, baselineB);
    }

    /**
     * Whether a client that needs a full snapshot waits for it this tick: it was sent a full snapshot less than
     * {@link #longestPeriodTicks} ticks ago and has not acknowledged it (had it, that full would be its baseline).
     * That holds for a client that fell out of the history window (it reads or acknowledges too slowly) and for one
     * that has not acknowledged anything yet (a joiner, a resumed connection): a full snapshot every tick, each many
     * times a delta, would only add to what it cannot keep up with, and when many clients join at once (a room
     * filling, a node's clients failing over) it kept them all on full snapshots for as long as their acks were
     * late. One every few ticks lets it catch up, acknowledge one, and go back to deltas; a client whose ack comes
     * within a tick misses nothing. It also bounds what a client that never acknowledges can draw.
     */
    private boolean awaitsAckOfFull(final RoomClient client, final long tick)
    {
        return client.lastFullSnapshotTick() > tick - longestPeriodTicks;
    }

    /**
     * Overload: whether the client skips this tick's snapshot. At level L a client whose last snapshot was at least
     * the room's mean size gets one every L + 1 ticks, the others one every L ticks (level 1 leaves them at the full
     * rate), never rarer than every {@link #longestPeriodTicks} ticks; the tick it is due is spread by player id.
     * <p>
     * A lower rate must not cost a client a full snapshot. Its acknowledged baseline is at least its ack latency old
     * (the round trip, in ticks), and with a snapshot every {@code divisor} ticks the baseline it acknowledges next
     * is at most latency + divisor - 1 old. So a client is skipped only while the age of its baseline plus its
     * reduced period fits in the history window: a client whose acks come too late for that is sent every tick,
     * and one without a baseline (it needs a full snapshot anyway) is never skipped.
     */
    private boolean isSkipped(
        final RoomClient client, final int baseline, final long tick, final int overloadLevel, final long meanBytes)
    {
        final int divisor = Math.min(longestPeriodTicks,
            client.lastSnapshotBytes() >= meanBytes ? overloadLevel + 1 : overloadLevel);
        if (divisor <= 1)
        {
            return false;
        }
        reducedRateClients++;
        return baseline >= 0 && Long.remainderUnsigned(tick + client.id(), divisor) != 0 &&
            tick - client.history.tick(baseline) + divisor <= config.historyWindowTicks();
    }

    private static long meanSnapshotBytes(final Room room)
    {
        long total = 0;
        int count = 0;
        for (int i = 0, n = room.clientCount(); i < n; i++)
        {
            final RoomClient client = room.client(i);
            if (client.isJoined() && !client.isDetached())
            {
                total += client.lastSnapshotBytes();
                count++;
            }
        }
        return count == 0 ? 0 : total / count;
    }

    /**
     * @return the clients sent snapshots at a reduced rate by the fan-outs since the last call, summed over them.
     */
    long takeReducedRateClients()
    {
        final long total = reducedRateClientsTotal;
        reducedRateClientsTotal = 0;
        return total;
    }

    /**
     * Notes a view built for the journal's FANOUT record; the arrays are made at the first journaled fan-out.
     *
     * @return the number of views noted.
     */
    private int journalView(final Room room, final int index, final int playerId, final int viewChecksum)
    {
        if (journalPlayerIds == null)
        {
            journalPlayerIds = new int[room.type().maxClients()];
            journalViewChecksums = new int[room.type().maxClients()];
        }
        journalPlayerIds[index] = playerId;
        journalViewChecksums[index] = viewChecksum;
        return index + 1;
    }

    /**
     * Offline replay ({@link RoomReplayer}): builds the client's view of the tick just recorded as {@link #plan}
     * does, keeps it in the client's history as the snapshot sent (the next view's hysteresis depends on it), and
     * encodes nothing.
     *
     * @return the {@link ViewChecksum} of the view, as the snapshot's encoder computes it.
     */
    int replayView(final Room room, final RoomClient client, final ViewChecksum checksum)
    {
        final EntityTable entities = room.entities();
        final WorldHistory world = room.world();
        final long tick = world.currentTick();
        ensureCapacity(entities.count(), world.slotsUsed(), 0);
        final int viewCount = interestEnabled() ? nearView(room, client) : wholeView(entities, world);
        client.history.store(client.nextSnapshotSeq(), tick, viewKeys, viewCount);
        final int[] values = world.valuesAt(tick);
        checksum.reset();
        for (int i = 0; i < viewCount; i++)
        {
            checksum.addEntity(keyId(viewKeys[i]), values, keySlot(viewKeys[i]) * fieldCount, fieldCount);
        }
        return checksum.value();
    }

    private void encodeFull(final int[] values, final long[] keys, final int viewCount)
    {
        for (int i = 0; i < viewCount; i++)
        {
            final long key = keys[i];
            encoder.enter(keyId(key), values, keySlot(key) * fieldCount);
        }
    }

    private void encodeDelta(
        final WorldHistory world, final long tick, final ClientHistory history, final int baseline,
        final long[] currentKeys, final int viewCount)
    {
        final int[] values = world.valuesAt(tick);
        final int[] baseValues = world.valuesAt(history.tick(baseline));
        final long[] baseKeys = history.keys(baseline);
        final int baseCount = history.count(baseline);
        int b = 0;
        int v = 0;
        while (b < baseCount || v < viewCount)
        {
            if (v == viewCount || (b < baseCount && keyId(baseKeys[b]) < keyId(currentKeys[v])))
            {
                encoder.remove(keyId(baseKeys[b++]));
            }
            else if (b == baseCount || keyId(currentKeys[v]) < keyId(baseKeys[b]))
            {
                encoder.enter(keyId(currentKeys[v]), values, keySlot(currentKeys[v++]) * fieldCount);
            }
            else
            {
                encoder.update(keyId(currentKeys[v]), values, keySlot(currentKeys[v++]) * fieldCount,
                    baseValues, keySlot(baseKeys[b++]) * fieldCount);
            }
        }
    }

    /**
     * Every entity of the room, in id order.
     */
    private int wholeView(final EntityTable entities, final WorldHistory world)
    {
        final int count = entities.count();
        for (int row = 0; row < count; row++)
        {
            viewKeys[row] = key(entities.id(row), world.rowSlot(row));
        }
        return count;
    }

    /**
     * The client's own avatar and the entities near it, with hysteresis and the cap, in id order.
     */
    private int nearView(final Room room, final RoomClient client)
    {
        final EntityTable entities = room.entities();
        final WorldHistory world = room.world();
        final int ownRow = room.rowOf(client.entityId());
        if (ownRow < 0)
        {
            return 0;
        }

        markPreviousView(client);
        final int x = entities.value(ownRow, xField);
        final int y = entities.value(ownRow, yField);
        final int found = room.grid().query(x, y, leaveRadius, candidateRows, candidateDistances);
        final long enterSquared = enterRadius * enterRadius;
        int kept = 0;
        for (int i = 0; i < found; i++)
        {
            final int row = candidateRows[i];
            final long distanceSquared = candidateDistances[i];
            if (row == ownRow)
            {
                nearest[kept++] = row;
            }
            else if (distanceSquared <= enterSquared || wasInPreviousView(world.rowSlot(row), entities.id(row)))
            {
                nearest[kept++] = ((distanceSquared + 1) << 16) | row;
            }
        }

        final int cap = config.maxEntitiesPerSnapshot();
        if (kept > cap)
        {
            LongSort.selectSmallest(nearest, 0, kept, cap);
            kept = cap;
        }
        rowOrder.sortRows(nearest, kept, entities.count());
        for (int i = 0; i < kept; i++)
        {
            final int row = (int)nearest[i];
            viewKeys[i] = key(entities.id(row), world.rowSlot(row));
        }
        return kept;
    }

    /**
     * Marks the slots of the entities in the last view sent to the client, with the entity each held then; a slot
     * whose entity has gone since holds another id now, so {@link #wasInPreviousView} tells them apart without a
     * lookup of each id.
     */
    private void markPreviousView(final RoomClient client)
    {
        markStamp++;
        final int last = client.history.find(client.lastSnapshotSeq());
        if (last < 0)
        {
            return;
        }
        final long[] keys = client.history.keys(last);
        for (int i = 0, n = client.history.count(last); i < n; i++)
        {
            final int slot = keySlot(keys[i]);
            markBySlot[slot] = markStamp;
            markedIdBySlot[slot] = keyId(keys[i]);
        }
    }

    /**
     * @return whether the entity {@code id}, now in {@code slot}, was in the last view {@link #markPreviousView}
     * marked.
     */
    private boolean wasInPreviousView(final int slot, final int id)
    {
        return markBySlot[slot] == markStamp && markedIdBySlot[slot] == id;
    }

    private void ensureCapacity(final int entityCount, final int slots, final int clientCount)
    {
        if (planClient.length < clientCount)
        {
            final int capacity = Math.max(clientCount, planClient.length * 2);
            planClient = new RoomClient[capacity];
            planSeq = new int[capacity];
            planBaseline = new int[capacity];
            planStore = new int[capacity];
            planGroup = new int[capacity];
            planOrder = new long[capacity];
        }
        if (viewKeys.length < entityCount)
        {
            final int capacity = Math.max(entityCount, viewKeys.length * 2);
            viewKeys = new long[capacity];
            nearest = new long[capacity];
            candidateRows = new int[capacity];
            candidateDistances = new long[capacity];
        }
        if (markBySlot.length < slots)
        {
            markBySlot = Arrays.copyOf(markBySlot, Math.max(slots, markBySlot.length * 2));
            markedIdBySlot = Arrays.copyOf(markedIdBySlot, markBySlot.length);
        }
    }

    private static long key(final int id, final int slot)
    {
        return ((long)id << 32) | slot;
    }

    private static int keyId(final long key)
    {
        return (int)(key >>> 32);
    }

    private static int keySlot(final long key)
    {
        return (int)key;
    }
}
