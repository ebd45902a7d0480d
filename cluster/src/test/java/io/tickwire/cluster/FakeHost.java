package io.tickwire.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.tickwire.api.GameSettings;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.RoomInfo;
import io.tickwire.sim.checkpoint.RoomSnapshot;

/**
 * A {@link ClusterHost} whose rooms the test sets. A restore is recorded and answered as {@link #restoreSucceeds}
 * says; a successful one publishes the room under its new epoch, as a shard would, unless
 * {@link #restoredRoomsCloseAtOnce}.
 */
final class FakeHost implements ClusterHost
{
    static final GameCatalog CATALOG = GameCatalog.load(FakeHost.class.getClassLoader(), List.of("arena"),
        name -> new GameSettings(30, 7L, Map.of()));

    /** A restore the node asked for. */
    record Restore(RoomSnapshot snapshot, long epoch, String thread)
    {
    }

    final List<Restore> restores = new CopyOnWriteArrayList<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final AtomicInteger gone = new AtomicInteger();
    final List<String> callerThreads = new CopyOnWriteArrayList<>();
    volatile List<RoomInfo> rooms = List.of();
    volatile boolean restoreSucceeds = true;
    /** When set, a restore is taken and never completes: its room stays assigned to the node for restore. */
    volatile boolean restoreHangs;
    /**
     * When set, a restored room runs and closes again before the node looks at the published rooms (an empty room
     * with no keep-alive): its restore answers true and the published rooms stay as they were.
     */
    volatile boolean restoredRoomsCloseAtOnce;
    /** What {@link #shardsDrained()} answers: set it when the test's drain has disposed of every room. */
    volatile boolean drained;

    static RoomInfo room(final String name, final long epoch, final int clients, final long tick)
    {
        return new RoomInfo(name, "arena", clients, 16, 0, tick, 10, false, false, Map.of("map", "dust"), epoch,
            RoomInfo.NOT_RESTORED, List.of());
    }

    public List<RoomInfo> publishedRooms()
    {
        callerThreads.add(Thread.currentThread().getName());
        return rooms;
    }

    public int clients()
    {
        return rooms.stream().mapToInt(RoomInfo::clients).sum();
    }

    public long latenessP99Ms()
    {
        return 1;
    }

    public boolean shardsDrained()
    {
        callerThreads.add(Thread.currentThread().getName());
        return drained;
    }

    public GameCatalog catalog()
    {
        return CATALOG;
    }

    public boolean restore(final RoomSnapshot snapshot, final long epoch, final CompletableFuture<Boolean> done)
    {
        restores.add(new Restore(snapshot, epoch, Thread.currentThread().getName()));
        if (restoreHangs)
        {
            return true;
        }
        if (restoreSucceeds && !restoredRoomsCloseAtOnce)
        {
            rooms = List.of(new RoomInfo(snapshot.room(), snapshot.type(), 0, 16, 0, snapshot.tick(), 10, false,
                false, Map.of(), epoch, snapshot.tick(), List.of()));
        }
        done.complete(restoreSucceeds);
        return true;
    }

    public void closeRooms(final List<String> names)
    {
        closed.addAll(names);
    }

    public void onGone()
    {
        gone.incrementAndGet();
    }
}
