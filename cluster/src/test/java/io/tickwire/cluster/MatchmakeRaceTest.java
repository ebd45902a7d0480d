package io.tickwire.cluster;

import static io.tickwire.cluster.RedisFixture.HOLD_MS;
import static io.tickwire.cluster.RedisFixture.await;
import static io.tickwire.cluster.RedisFixture.line;
import static io.tickwire.cluster.RedisFixture.live;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import io.tickwire.cluster.RedisDirectory.ReserveMode;
import io.tickwire.cluster.RedisDirectory.ReserveReply;
import io.tickwire.testsupport.RedisServer;
import io.tickwire.testsupport.RedisServerExtension;

/**
 * Many matchmakers race for the last seats of one room, over several connections, released together by a latch:
 * never more reservations than free seats (design §2: one script at a time, the loser sees free = 0).
 */
final class MatchmakeRaceTest
{
    private static final String NODE = "10.0.0.1:7777-aaaaaaaa";
    private static final int CONNECTIONS = 4;

    private static RedisServer redis;

    @BeforeContainer
    static void startRedis()
    {
        redis = RedisServer.start();
    }

    @AfterContainer
    static void stopRedis()
    {
        redis.close();
    }

    @Property(tries = 1)
    void sixtyFourThreadsTakeExactlyTheSixFreeSeatsAndSeatSixteen() throws Exception
    {
        final String prefix = RedisServerExtension.uniquePrefix();
        final List<RedisDirectory> dirs = connect(prefix);
        try
        {
            final RedisDirectory dir = dirs.get(0);
            register(dir, "r1", 10, 16);
            final List<String> granted = race(dirs, "r1", 64, 4);
            assertEquals(6, granted.size(), "10 seated + 6 reserved = max 16: " + granted);
            for (final String rid : granted)
            {
                assertEquals("OK", await(dir.consume("r1", rid, NODE, HOLD_MS)));
            }
            assertEquals("FULL", reserve(dir, ReserveMode.NAMED, "late").status(), "consumed seats still count");
            await(dir.sync(NODE, List.of(line("r1", "arena", 1, 16, 16, false, granted))));
            assertEquals("16", RedisFixture.hash(redis, prefix + "room:r1").get("clients"));
            assertEquals(0L, redis.command("EXISTS", prefix + "rsv:r1"), "every seated reservation forgotten");
            assertEquals("FULL", reserve(dir, ReserveMode.NAMED, "later").status());
        }
        finally
        {
            dirs.forEach(RedisDirectory::close);
        }
    }

    /**
     * Six short reservations expire while their holders consume them, at random moments around the expiry, and other
     * matchmakers keep asking for seats: each seat ends either consumed once or re-granted once, never both.
     */
    @Property(tries = 1)
    void expiryRacingConsumptionNeitherLosesNorDoublesASeat() throws Exception
    {
        final String prefix = RedisServerExtension.uniquePrefix();
        final List<RedisDirectory> dirs = connect(prefix);
        final ExecutorService pool = Executors.newFixedThreadPool(14);
        try
        {
            final RedisDirectory dir = dirs.get(0);
            register(dir, "r1", 10, 16);
            final long ttlMs = 150;
            for (int i = 0; i < 6; i++)
            {
                assertEquals("OK", await(dir.reserve(ReserveMode.NAMED, "arena", "r1", "short" + i, ttlMs, false, 16,
                    HOLD_MS)).status());
            }
            final CountDownLatch start = new CountDownLatch(1);
            final List<String> consumed = Collections.synchronizedList(new ArrayList<>());
            final List<String> regranted = Collections.synchronizedList(new ArrayList<>());
            final List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                final String rid = "short" + i;
                final long delayNs = TimeUnit.MILLISECONDS.toNanos(100 + 20 * i);
                done.add(pool.submit(() ->
                {
                    start.await();
                    LockSupport.parkNanos(delayNs);
                    if ("OK".equals(await(dirs.get(1).consume("r1", rid, NODE, HOLD_MS))))
                    {
                        consumed.add(rid);
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 8; t++)
            {
                final int thread = t;
                done.add(pool.submit(() ->
                {
                    start.await();
                    final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
                    for (int c = 0; System.nanoTime() < endNs; c++)
                    {
                        final String rid = "late-" + thread + "-" + c;
                        if ("OK".equals(reserve(dirs.get(2 + thread % 2), ReserveMode.NAMED, rid).status()))
                        {
                            regranted.add(rid);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (final Future<?> future : done)
            {
                future.get(30, TimeUnit.SECONDS);
            }
            assertEquals(6, consumed.size() + regranted.size(), "consumed " + consumed + ", re-granted " + regranted);
        }
        finally
        {
            pool.shutdownNow();
            dirs.forEach(RedisDirectory::close);
        }
    }

    @Property(tries = 8)
    void neverMoreReservationsThanFreeSeats(
        @ForAll @IntRange(min = 1, max = 32) final int max, @ForAll @IntRange(min = 0, max = 32) final int seated,
        @ForAll @IntRange(min = 2, max = 24) final int threads) throws Exception
    {
        final int clients = Math.min(seated, max);
        final String prefix = RedisServerExtension.uniquePrefix();
        final List<RedisDirectory> dirs = connect(prefix);
        try
        {
            register(dirs.get(0), "r1", clients, max);
            final int calls = 3;
            assertEquals(Math.min(max - clients, threads * calls), race(dirs, "r1", threads, calls).size());
        }
        finally
        {
            dirs.forEach(RedisDirectory::close);
        }
    }

    private static List<RedisDirectory> connect(final String prefix)
    {
        final List<RedisDirectory> dirs = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++)
        {
            dirs.add(RedisFixture.directory(redis, prefix));
        }
        return dirs;
    }

    private static void register(final RedisDirectory dir, final String room, final int clients, final int max)
    {
        await(dir.heartbeat(NODE, "ws://a/ws", ",arena/" + max + "/1,", 1, clients, 0, false, 0, true));
        await(dir.sync(NODE, List.of(live(room, "arena", 1, clients, max))));
    }

    /** @return the reservation ids granted, threads x calls tries, named and "any" (no create) alternating */
    private static List<String> race(
        final List<RedisDirectory> dirs, final String room, final int threads, final int calls) throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final CountDownLatch start = new CountDownLatch(1);
        final List<String> granted = Collections.synchronizedList(new ArrayList<>());
        final List<Future<?>> done = new ArrayList<>();
        try
        {
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                done.add(pool.submit(() ->
                {
                    start.await();
                    final RedisDirectory dir = dirs.get(thread % dirs.size());
                    for (int c = 0; c < calls; c++)
                    {
                        final String rid = "t" + thread + "c" + c;
                        final ReserveReply reply = reserve(dir, c % 2 == 0 ? ReserveMode.NAMED : ReserveMode.ANY,
                            rid);
                        if ("OK".equals(reply.status()))
                        {
                            assertEquals(room, reply.room());
                            granted.add(rid);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (final Future<?> future : done)
            {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        return granted;
    }

    private static ReserveReply reserve(final RedisDirectory dir, final ReserveMode mode, final String rid)
    {
        return await(dir.reserve(mode, "arena", "r1", rid, 10_000, false, 16, HOLD_MS));
    }
}
