package io.tickwire.jmh.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.games.arena.ArenaProvider;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.JoinOptionValues;
import io.tickwire.sim.JoinTicket;
import io.tickwire.sim.PinnedRoom;
import io.tickwire.sim.RoomQuota;
import io.tickwire.sim.ShardAgent;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.ShardCounters;
import io.tickwire.sim.ShardRouter;
import io.tickwire.sim.SnapshotFlush;
import io.tickwire.sim.TickInputGather;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;
import java.util.Map;

/**
 * One shard driven by hand with a fake clock, hosting one pinned room of one game type, and {@code clients}
 * {@link NullLink}s joined to it through the ring as the network layer joins them ({@link JoinTicket}s). Joins go in
 * batches, each followed by every client's ACK of the stream so far, so the presence events of a thousand joins
 * never exceed a client's budget of unacknowledged stream messages. Single thread.
 */
final class ShardHarness implements NanoClock
{
    static final String ROOM = "bench";
    private static final int JOIN_BATCH = 100;

    final ShardConfig config;
    final GameType type;
    final InputRing ring = new InputRing(4096);
    final ShardCounters counters = new ShardCounters();
    final ShardAgent shard;
    final NullLink[] links;
    private final ClientMessageFlyweight ack = new ClientMessageFlyweight();
    private long nowNs;

    ShardHarness(final ShardConfig config, final GameType type, final int clients)
    {
        this.config = config;
        this.type = type;
        final GameCatalog catalog = new GameCatalog(List.of(type));
        shard = new ShardAgent(
            0, config, catalog, new RoomQuota(16, catalog), ring, new ShardRouter(1), this, FailOnError.INSTANCE,
            counters, List.of(new PinnedRoom(type, ROOM)), TickInputGather.NONE, SnapshotFlush.NONE);
        ack.wrap(new UnsafeBuffer(new byte[ClientMessageFlyweight.ACK_LENGTH]), 0, ClientMessageFlyweight.ACK_LENGTH);
        ack.type(WireFormat.TYPE_ACK);
        links = new NullLink[clients];
        for (int i = 0; i < clients; i++)
        {
            links[i] = new NullLink(i + 1);
            ring.tryPublishJoin(links[i], new JoinTicket(
                type, JoinRequest.MODE_NAMED, ROOM, "bot" + i, JoinOptionValues.defaults(type), null));
            if ((i + 1) % JOIN_BATCH == 0 || i == clients - 1)
            {
                shard.doWork();
                publishAcks(i + 1);
                shard.doWork();
            }
        }
        for (final NullLink link : links)
        {
            if (!link.isOpen())
            {
                throw new IllegalStateException("client " + link.sessionId() + " closed with " + link.closeCode);
            }
        }
        if (counters.joins.get() != clients)
        {
            throw new IllegalStateException(counters.joins.get() + " of " + clients + " clients joined");
        }
    }

    /**
     * @return the shard defaults (30 Hz, checksums on) with another view radius; 0 turns interest off.
     */
    static ShardConfig config(final double viewRadius)
    {
        final ShardConfig d = ShardConfig.defaults();
        return new ShardConfig(
            d.tickRateHz(), d.maxCatchUpTicks(), d.ringCapacity(), d.maxRoomsPerShard(), d.maxInputsPerTick(),
            d.pendingInputCapacity(), d.historyWindowTicks(), viewRadius, d.viewHysteresis(),
            d.maxEntitiesPerSnapshot(), d.checksums(), d.maxUnackedMessages(), d.seed());
    }

    /**
     * @return the arena room type, made by its provider from {@code --game-option}-style settings.
     */
    static GameType arena(final ShardConfig config, final Map<String, String> options)
    {
        return new ArenaProvider().create(new GameSettings(config.tickRateHz(), config.seed(), options));
    }

    public long nanoTime()
    {
        return nowNs;
    }

    /**
     * Publishes an ACK from each of the first {@code count} clients: its newest snapshot and stream message, what a
     * client sends in a tick period in which it received stream messages.
     */
    void publishAcks(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final NullLink link = links[i];
            ack.ack(link.lastSnapshotSeq).messageAck(link.lastStreamSeq);
            ring.tryPublishControl(link, ack);
        }
    }

    /**
     * Advances the clock one tick period and runs a duty cycle: the inputs published, one tick, the snapshots.
     */
    int tick()
    {
        nowNs += config.tickPeriodNs();
        return shard.doWork();
    }

    /**
     * A duty cycle with no tick due: drains the (empty) ring and checks the clock.
     */
    int idle()
    {
        return shard.doWork();
    }
}
