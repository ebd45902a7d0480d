package io.tickwire.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.games.arena.ArenaProvider;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard driven by hand whose fake clock makes each ticking cycle take 95% of the tick period (saturated), then no
 * time (relieved); each cycle starts when its tick is due. Half the clients acknowledge 3 ticks late, the others 10,
 * so their baselines already sit near the end of a 12-tick history window. Saturated, the shard lowers the snapshot rate of its clients (the larger snapshots more),
 * counts what it skipped, and keeps every client on deltas: no full snapshot is sent because of the lower rate,
 * every snapshot decodes with a matching checksum, and no client waits more than its reduced period plus one tick.
 * Relieved, it returns to every client every tick by itself, one level at a time.
 */
class OverloadDegradationTest
{
    private static final int CLIENTS = 8;
    private static final int WINDOW_TICKS = 12;
    /** Even clients acknowledge 3 ticks late; odd ones 10, too late for a lower rate to keep their baseline. */
    private static final int SHORT_ACK_LAG_TICKS = 3;
    private static final int LONG_ACK_LAG_TICKS = 10;

    private final ShardDriver driver = new ShardDriver(
        new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 1024, 4, 4, 16, WINDOW_TICKS, 100, 10, 40, true, 256, 3L), 4,
        List.of(new ArenaProvider().create(new GameSettings(ShardDriver.TICK_RATE_HZ, 3L, Map.of(
            "worldSize", "300", "npcs", "60", "npcSpeed", "60", "playerSpeed", "120")))));
    private final List<TestClient> clients = new ArrayList<>();
    private final List<List<Integer>> appliedByTick = new ArrayList<>();
    private final int[] lastSnapshotTick = new int[CLIENTS];
    private int longestGapTicks;
    private long clockNs;

    @Test
    void saturationLowersRatesOnDeltasAndReliefRestoresThem()
    {
        for (int i = 1; i <= CLIENTS; i++)
        {
            final TestClient client = driver.join(i, ArenaProvider.NAME, "room");
            client.autoAck = false;
            clients.add(client);
            appliedByTick.add(new ArrayList<>());
        }
        driver.doWork();
        clockNs = driver.nowNs;
        run(30);
        assertEquals(0, driver.counters.overloadLevel.get());
        assertEquals(0, driver.counters.snapshotsSkippedForOverload.get());
        assertEquals(1, longestGapTicks, "every client every tick");
        final long fullsBefore = driver.counters.fullSnapshots.get();
        final long deltasBefore = driver.counters.deltaSnapshots.get();

        driver.cycleCostNs = ShardDriver.PERIOD_NS * 95 / 100;
        run(OverloadGovernor.RAISE_AFTER_CYCLES);
        assertEquals(1, driver.counters.overloadLevel.get(), "saturated for a few cycles: level 1");
        run(1);
        final long reducedAtLevelOne = driver.counters.clientsAtReducedRate.get();
        assertTrue(reducedAtLevelOne > 0 && reducedAtLevelOne < CLIENTS,
            "level 1 slows only the clients with the larger snapshots: " + reducedAtLevelOne);
        longestGapTicks = 0;
        run(60);
        assertEquals(OverloadGovernor.MAX_LEVEL, driver.counters.overloadLevel.get());
        assertEquals(CLIENTS, driver.counters.clientsAtReducedRate.get());
        final long skipped = driver.counters.snapshotsSkippedForOverload.get();
        assertTrue(skipped > 60 * CLIENTS / 2 / 3, "skipped for overload: " + skipped);
        assertEquals(fullsBefore, driver.counters.fullSnapshots.get(), "no full snapshot for the lower rate");
        assertTrue(driver.counters.deltaSnapshots.get() > deltasBefore + 60 * CLIENTS / 4, "deltas go on");
        assertTrue(longestGapTicks >= 3, "rates were lowered: longest gap " + longestGapTicks);
        assertTrue(longestGapTicks <= OverloadGovernor.MAX_LEVEL + 1, "longest gap " + longestGapTicks);

        driver.cycleCostNs = 0;
        run(OverloadGovernor.MAX_LEVEL * OverloadGovernor.LOWER_AFTER_CYCLES + 5);
        assertEquals(0, driver.counters.overloadLevel.get(), "recovered by itself");
        assertEquals(0, driver.counters.clientsAtReducedRate.get());
        longestGapTicks = 0;
        final long skippedAtRecovery = driver.counters.snapshotsSkippedForOverload.get();
        run(10);
        assertEquals(1, longestGapTicks, "every client every tick again");
        assertEquals(skippedAtRecovery, driver.counters.snapshotsSkippedForOverload.get());
        assertEquals(fullsBefore, driver.counters.fullSnapshots.get());
        for (final TestClient client : clients)
        {
            assertEquals(0, client.read().decoder.checksumMismatches());
        }
        assertEquals(List.of(), driver.errors);
    }

    /**
     * Runs ticks; each client acknowledges the newest snapshot it had applied its ack lag ago and moves, and the longest wait between two snapshots of a client is noted.
     */
    private void run(final int ticks)
    {
        for (int t = 0; t < ticks; t++)
        {
            for (int c = 0; c < CLIENTS; c++)
            {
                final TestClient client = clients.get(c).read();
                final List<Integer> applied = appliedByTick.get(c);
                applied.add(client.decoder == null ? 0 : client.decoder.ackSeq());
                final int lag = c % 2 == 0 ? SHORT_ACK_LAG_TICKS : LONG_ACK_LAG_TICKS;
                client.ack = applied.get(Math.max(0, applied.size() - 1 - lag));
                client.input(0, 100, (c % 3) * 50 - 50, 0);
            }
            clockNs += ShardDriver.PERIOD_NS;
            driver.nowNs = clockNs;
            final long ticksBefore = driver.shard.fixedStep().tickCount();
            driver.doWork();
            assertEquals(ticksBefore + 1, driver.shard.fixedStep().tickCount(), "one tick per cycle, on time");
            for (int c = 0; c < CLIENTS; c++)
            {
                final TestClient client = clients.get(c).read();
                final int tick = client.decoder.tick();
                if (tick != lastSnapshotTick[c])
                {
                    if (lastSnapshotTick[c] != 0)
                    {
                        longestGapTicks = Math.max(longestGapTicks, tick - lastSnapshotTick[c]);
                    }
                    lastSnapshotTick[c] = tick;
                }
            }
        }
    }
}
