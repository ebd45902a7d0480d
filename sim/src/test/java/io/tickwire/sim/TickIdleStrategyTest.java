package io.tickwire.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A shard thread sleeps until its next tick, and no longer when the tick is due: it never spins or yields.
 */
class TickIdleStrategyTest
{
    private final ShardDriver driver =
        new ShardDriver(ShardDriver.config(), 1, List.of(RecordingGame.type("duel", 2, new HashMap<>())));
    private final TickIdleStrategy idle = new TickIdleStrategy(driver.shard, () -> driver.nowNs);

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aShardWithATickDueDoesNotSleep()
    {
        driver.tick(1);
        driver.nowNs = driver.shard.nextTickNs();
        idle.idle(0);
        idle.idle(1);
        driver.nowNs += TimeUnit.HOURS.toNanos(1);
        idle.idle(0);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aShardBetweenTicksSleepsParkedUntilTheTickWhateverWorkItDid() throws InterruptedException
    {
        driver.tick(1);
        driver.nowNs = driver.shard.nextTickNs() - TimeUnit.HOURS.toNanos(1);
        final Thread shard = new Thread(() -> idle.idle(1), "shard");
        shard.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> shard.getState() == Thread.State.TIMED_WAITING);
        assertSame(idle, LockSupport.getBlocker(shard), "parked by the strategy, not spinning or yielding");
        LockSupport.unpark(shard);
        shard.join(TimeUnit.SECONDS.toMillis(5));
        assertFalse(shard.isAlive());
        assertEquals("tick", idle.alias());
    }
}
