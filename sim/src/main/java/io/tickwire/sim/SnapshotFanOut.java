package io.tickwire.sim;

import io.tickwire.codec.Sequence;
import io.tickwire.codec.SnapshotFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Encodes a room's captured entity table once per tick and offers each client its snapshot: the shared entity
 * records with that client's own header. A client whose link is not writable is skipped for this tick (conflated);
 * its next snapshot carries the state anyway, so nothing queues for a slow client. Shard thread only; allocates
 * nothing.
 */
final class SnapshotFanOut
{
    private final UnsafeBuffer frameBuffer;
    private final SnapshotFlyweight snapshot = new SnapshotFlyweight();

    SnapshotFanOut(final int maxEntities)
    {
        frameBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(SnapshotFlyweight.encodedLength(maxEntities)));
    }

    void send(final Room room, final ShardCounters counters)
    {
        final EntityTable entities = room.entities();
        final int entityCount = entities.count();
        final int length = SnapshotFlyweight.encodedLength(entityCount);
        snapshot.wrap(frameBuffer, 0, length);
        for (int i = 0; i < entityCount; i++)
        {
            snapshot.entity(i, entities.id(i), entities.kind(i), entities.hp(i), entities.x(i), entities.y(i));
        }

        final int tick = (int)room.tick();
        long sent = 0;
        long conflated = 0;
        for (int i = 0, n = room.clientCount(); i < n; i++)
        {
            final RoomClient client = room.client(i);
            final ClientLink link = client.link;
            if (!link.isWritable())
            {
                conflated++;
                continue;
            }

            snapshot.header(tick, client.nextSnapshotSeq(), Sequence.NONE, client.lastAppliedInputSeq(), entityCount);
            sent++;
            if (!link.offerSnapshot(frameBuffer, 0, length))
            {
                conflated++;
            }
        }

        counters.snapshotsSent.addAndGet(sent);
        counters.snapshotsConflated.addAndGet(conflated);
        counters.snapshotBytes.addAndGet(sent * length);
    }
}
