package io.tickwire.cluster;

import static io.tickwire.cluster.RedisFixture.HOLD_MS;
import static io.tickwire.cluster.RedisFixture.await;
import static io.tickwire.cluster.RedisFixture.closed;
import static io.tickwire.cluster.RedisFixture.hash;
import static io.tickwire.cluster.RedisFixture.line;
import static io.tickwire.cluster.RedisFixture.live;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tickwire.cluster.RedisDirectory.Claim;
import io.tickwire.cluster.RedisDirectory.HeartbeatReply;
import io.tickwire.cluster.RedisDirectory.ReapReply;
import io.tickwire.cluster.RedisDirectory.ReserveMode;
import io.tickwire.cluster.RedisDirectory.ReserveReply;
import io.tickwire.cluster.RedisDirectory.SyncReply;
import io.tickwire.testsupport.RedisServer;
import io.tickwire.testsupport.RedisServerExtension;

/** Each script of design §2 against a real redis-server, one key prefix per test. */
@Timeout(60)
@ExtendWith(RedisServerExtension.class)
final class ScriptsTest
{
    private static final String GAMES = ",arena/16/1,tag/8/1,";
    private static final String A = "10.0.0.1:7777-aaaaaaaa";
    private static final String B = "10.0.0.2:7777-bbbbbbbb";

    private final RedisServer redis;
    private final String prefix = RedisServerExtension.uniquePrefix();
    private RedisDirectory dir;

    ScriptsTest(final RedisServer redis)
    {
        this.redis = redis;
    }

    @BeforeEach
    void connect()
    {
        dir = RedisFixture.directory(redis, prefix);
    }

    @AfterEach
    void disconnect()
    {
        dir.close();
    }

    @Test
    void heartbeatRegistersAndAnswersGoneOnceReaped()
    {
        assertFalse(beat(A, true).gone());
        assertEquals("ws://" + A + "/ws", hash(redis, prefix + "node:" + A).get("url"));
        assertEquals(List.of(A), redis.command("ZRANGE", prefix + "load", "0", "-1"));
        assertFalse(beat(A, false).gone());
        await(dir.leave(A));
        assertTrue(beat(A, false).gone(), "a node that left (or was reaped) is never registered again");
        assertEquals(0L, redis.command("EXISTS", prefix + "node:" + A));
    }

    @Test
    void drainingNodeLeavesTheLoadSetButStaysListed()
    {
        beat(A, true);
        await(dir.heartbeat(A, "ws://a", GAMES, 0, 0, 0, true, 0, false));
        assertEquals(List.of(), redis.command("ZRANGE", prefix + "load", "0", "-1"));
        assertEquals(List.of(A), redis.command("ZRANGE", prefix + "nodes", "0", "-1"));
    }

    @Test
    void syncRegistersUpdatesFencesAndCloses()
    {
        beat(A, true);
        beat(B, true);
        assertEquals(List.of(), sync(A, live("r1", "arena", 1, 3, 16)).fenced());
        final var room = hash(redis, prefix + "room:r1");
        assertEquals(A, room.get("node"));
        assertEquals("live", room.get("state"));
        assertEquals("3", room.get("clients"));
        assertEquals("{\"m\":1}", room.get("meta"));
        assertEquals("13", redis.command("ZSCORE", prefix + "open:arena", "r1"));
        assertEquals(List.of("r1"), redis.command("SMEMBERS", prefix + "noderooms:" + A));

        sync(A, live("r1", "arena", 1, 16, 16));
        assertNull(redis.command("ZSCORE", prefix + "open:arena", "r1"), "a full room is not open");
        sync(A, line("r1", "arena", 1, 4, 16, true, List.of()));
        assertNull(redis.command("ZSCORE", prefix + "open:arena", "r1"), "a locked room is not open");

        assertEquals(List.of("r1"), sync(B, live("r1", "arena", 1, 0, 16)).fenced(), "another node owns r1");
        assertEquals(List.of("r1"), sync(A, live("r1", "arena", 2, 0, 16)).fenced(), "another epoch owns r1");
        assertEquals(A, hash(redis, prefix + "room:r1").get("node"));

        sync(A, closed("r1", "arena", 1));
        assertEquals(0L, redis.command("EXISTS", prefix + "room:r1"));
        assertEquals(List.of(), redis.command("ZRANGE", prefix + "rooms", "0", "-1"));
        assertTrue(await(dir.sync(B, List.of())).fenced().isEmpty());
        assertTrue(await(dir.sync("nobody:1-00000000", List.of())).gone(), "an unknown node is gone");
    }

    @Test
    void reserveNamedAnyNewFullLockedRestoringAndRejoin()
    {
        beat(A, true);
        sync(A, live("r1", "arena", 1, 14, 16));
        final ReserveReply named = reserve(ReserveMode.NAMED, "r1", "rid1", 10_000, false);
        assertEquals("OK", named.status());
        assertEquals(A, named.node());
        assertEquals("ws://" + A + "/ws", named.url());
        assertEquals("r1", reserve(ReserveMode.ANY, "fresh-1", "rid2", 10_000, true).room(), "any takes the open room");
        assertEquals("FULL", reserve(ReserveMode.NAMED, "r1", "rid3", 10_000, true).status());
        final ReserveReply created = reserve(ReserveMode.ANY, "fresh-1", "rid4", 10_000, true);
        assertEquals("fresh-1", created.room(), "no open room: any creates one");
        assertEquals("pending", hash(redis, prefix + "room:fresh-1").get("state"));
        assertEquals("EXISTS", reserve(ReserveMode.NEW, "fresh-1", "rid5", 10_000, true).status());
        assertEquals("OK", reserve(ReserveMode.NEW, "fresh-2", "rid6", 10_000, true).status());
        assertEquals("NOT_FOUND", reserve(ReserveMode.NAMED, "nope", "rid7", 10_000, false).status());
        assertEquals("NOT_FOUND", await(dir.reserve(ReserveMode.NAMED, "r1", "tag", "rid8", 10_000, false, 8,
            HOLD_MS)).status(), "a room of another type is not found");

        sync(A, line("r2", "arena", 1, 1, 16, true, List.of()));
        assertEquals("LOCKED", reserve(ReserveMode.NAMED, "r2", "rid9", 10_000, false).status());
        redis.command("HSET", prefix + "room:r2", "state", "restoring", "locked", "0");
        assertEquals("RESTORING", reserve(ReserveMode.NAMED, "r2", "rid10", 10_000, false).status());
        assertEquals("RESTORING", reserve(ReserveMode.REJOIN, "r2", "rid11", 10_000, false).status());

        final ReserveReply rejoin = reserve(ReserveMode.REJOIN, "r1", "rid12", 10_000, false);
        assertEquals("OK", rejoin.status(), "a rejoin needs no free seat");
        assertEquals("ROOM_GONE", reserve(ReserveMode.REJOIN, "gone", "rid13", 10_000, false).status());
        assertEquals("NO_NODE", await(dir.reserve(ReserveMode.NEW, "x-1", "nohost", "rid14", 10_000, true, 8,
            HOLD_MS)).status());
    }

    @Test
    void consumeOkUsedExpiredWrongNodeAndRejoin()
    {
        beat(A, true);
        beat(B, true);
        sync(A, live("r1", "arena", 1, 0, 16));
        reserve(ReserveMode.NAMED, "r1", "ok", 10_000, false);
        reserve(ReserveMode.NAMED, "r1", "short", 50, false);
        reserve(ReserveMode.REJOIN, "r1", "back", 10_000, false);
        assertEquals("WRONG_NODE", await(dir.consume("r1", "ok", B, HOLD_MS)));
        assertEquals("OK", await(dir.consume("r1", "ok", A, HOLD_MS)));
        assertEquals("UNKNOWN", await(dir.consume("r1", "ok", A, HOLD_MS)), "used");
        final double shortExpiresMs = Double.parseDouble((String)redis.command("ZSCORE", prefix + "rsv:r1", "r:short"));
        await("Redis's clock past the short reservation's expiry").atMost(Duration.ofSeconds(2))
            .pollInterval(Duration.ofMillis(5)).until(() -> redisNowMs() > shortExpiresMs);
        assertEquals("EXPIRED", await(dir.consume("r1", "short", A, HOLD_MS)), "unused, past its TTL, not yet swept");
        assertEquals("UNKNOWN", await(dir.consume("r1", "never", A, HOLD_MS)));
        assertEquals("REJOIN", await(dir.consume("r1", "back", A, HOLD_MS)));
        assertEquals("UNKNOWN", await(dir.consume("r1", "back", A, HOLD_MS)));
    }

    @Test
    void anExpiredReservationIsRefusedAndFreesItsSeat()
    {
        beat(A, true);
        sync(A, live("r1", "arena", 1, 15, 16));
        final long reservedAtMs = System.currentTimeMillis();
        assertEquals("OK", reserve(ReserveMode.NAMED, "r1", "late", 200, false).status());
        assertEquals("FULL", reserve(ReserveMode.NAMED, "r1", "other", 200, false).status());
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
            .until(() -> "OK".equals(reserve(ReserveMode.NAMED, "r1", "again", 10_000, false).status()));
        assertTrue(System.currentTimeMillis() - reservedAtMs >= 190, "the seat stayed reserved for its TTL");
        assertEquals("UNKNOWN", await(dir.consume("r1", "late", A, HOLD_MS)), "swept after its expiry");
    }

    @Test
    void consumedSeatCountsUntilSyncReportsItSeated()
    {
        beat(A, true);
        sync(A, live("r1", "arena", 1, 15, 16));
        reserve(ReserveMode.NAMED, "r1", "p1", 10_000, false);
        assertEquals("OK", await(dir.consume("r1", "p1", A, HOLD_MS)));
        sync(A, live("r1", "arena", 1, 15, 16));
        assertEquals("FULL", reserve(ReserveMode.NAMED, "r1", "p2", 10_000, false).status(),
            "consumed but not yet seated: still counted");
        sync(A, line("r1", "arena", 1, 16, 16, false, List.of("p1")));
        assertEquals(0L, redis.command("EXISTS", prefix + "rsv:r1"));
        sync(A, line("r1", "arena", 1, 15, 16, false, List.of()));
        assertEquals("OK", reserve(ReserveMode.NAMED, "r1", "p3", 10_000, false).status(), "the player left");
    }

    @Test
    void reapRemovesADeadNodeWithinTheDeadline()
    {
        beat(A, true);
        beat(B, true);
        sync(A, live("r1", "arena", 1, 2, 16));
        final long lastBeatMs = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() ->
        {
            beat(B, false);
            return await(dir.reap(300)).reapedNodes().contains(A);
        });
        final long reapedAfterMs = System.currentTimeMillis() - lastBeatMs;
        assertTrue(reapedAfterMs >= 290 && reapedAfterMs < 1_000, "reaped after " + reapedAfterMs + " ms");
        assertEquals(List.of(B), redis.command("ZRANGE", prefix + "nodes", "0", "-1"));
        assertEquals(List.of(), redis.command("ZRANGE", prefix + "rooms", "0", "-1"), "no checkpoint: dropped");
        assertEquals(0L, redis.command("EXISTS", prefix + "room:r1"));
        assertTrue(beat(A, false).gone());
    }

    @Test
    void rehomeAssignsExactlyOnceWithTwoConcurrentReapers() throws Exception
    {
        beat(A, true);
        beat(B, true);
        sync(A, live("r1", "arena", 1, 2, 16));
        assertTrue(await(dir.checkpoint("r1", A, 1, 90, "ckpt".getBytes(StandardCharsets.UTF_8))));
        assertFalse(await(dir.checkpoint("r1", B, 1, 90, new byte[1])), "fenced: B does not own r1");
        reserve(ReserveMode.NAMED, "r1", "stale", 10_000, false);
        redis.command("ZADD", prefix + "nodes", "1", A);
        final List<ReapReply> replies = new ArrayList<>();
        try (RedisDirectory other = RedisFixture.directory(redis, prefix))
        {
            final CompletableFuture<ReapReply> first = dir.reap(1_500);
            final CompletableFuture<ReapReply> second = other.reap(1_500);
            replies.add(await(first));
            replies.add(await(second));
        }
        assertEquals(1, replies.stream().filter(r -> r.reapedNodes().contains(A)).count());
        assertEquals(1, replies.stream().filter(r -> r.movedRooms().equals(List.of("r1"))).count());
        final var room = hash(redis, prefix + "room:r1");
        assertEquals(B, room.get("node"));
        assertEquals("2", room.get("epoch"));
        assertEquals("restoring", room.get("state"));
        assertEquals(0L, redis.command("EXISTS", prefix + "rsv:r1"), "reservations on the dead node are void");
        assertEquals("RESTORING", reserve(ReserveMode.NAMED, "r1", "x", 10_000, false).status());

        final HeartbeatReply assigned = beat(B, false);
        assertEquals(List.of("r1"), assigned.assigned());
        assertEquals(List.of("r1"), beat(B, false).assigned(), "answered again until restored: a lost reply loses "
            + "no room");
        assertNull(await(dir.claim("r1", A)), "only the assigned node claims");
        final Claim claim = await(dir.claim("r1", B));
        assertEquals(2, claim.epoch());
        assertEquals("ckpt", new String(claim.checkpoint(), StandardCharsets.UTF_8));
        assertTrue(sync(A, live("r1", "arena", 1, 2, 16)).gone(), "the reaped node cannot register r1 again");
        sync(B, line("r1", "arena", 2, 2, 16, false, List.of()));
        assertEquals("live", hash(redis, prefix + "room:r1").get("state"));
        assertEquals(List.of(), beat(B, false).assigned(), "restored and synced live: no longer assigned");
        assertEquals(0L, redis.command("EXISTS", prefix + "assign:" + B));
        assertEquals("OK", reserve(ReserveMode.NAMED, "r1", "y", 10_000, false).status());
    }

    @Test
    void releaseHandsRoomsWithACheckpointOverAndDropsTheOthers()
    {
        beat(A, true);
        beat(B, true);
        sync(A, live("r1", "arena", 1, 2, 16), live("r2", "arena", 1, 2, 16));
        await(dir.checkpoint("r1", A, 1, 50, new byte[] {1, 2}));
        assertEquals(List.of("r1"), await(dir.release(A)));
        assertEquals(B, hash(redis, prefix + "room:r1").get("node"));
        assertEquals(0L, redis.command("EXISTS", prefix + "room:r2"));
        assertEquals(List.of(B), redis.command("ZRANGE", prefix + "load", "0", "-1"));
    }

    @Test
    void claimDropsARoomWhoseCheckpointVanished()
    {
        beat(A, true);
        beat(B, true);
        sync(A, live("r1", "arena", 1, 2, 16));
        await(dir.checkpoint("r1", A, 1, 50, new byte[] {1}));
        await(dir.release(A));
        redis.command("DEL", prefix + "ckpt:r1");
        assertNull(await(dir.claim("r1", B)));
        assertEquals(0L, redis.command("EXISTS", prefix + "room:r1"));
        assertEquals(List.of(), redis.command("SMEMBERS", prefix + "noderooms:" + B));
    }

    @Test
    void pendingRoomsNeverReportedAreCollected()
    {
        beat(A, true);
        await(dir.reserve(ReserveMode.NEW, "arena", "p-1", "rid", 50, true, 16, 50));
        assertEquals("pending", hash(redis, prefix + "room:p-1").get("state"));
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() ->
        {
            await(dir.reap(60_000));
            return (Long)redis.command("EXISTS", prefix + "room:p-1") == 0L;
        });
        await(dir.leave(A));
        assertEquals(List.of(), redis.keys(prefix));
    }

    @Test
    void noKeysAreLeftOnceRoomsCloseAndNodesLeaveEvenWithRoomsOpen()
    {
        beat(A, true);
        beat(B, true);
        sync(A, live("r1", "arena", 1, 2, 16), live("r2", "tag", 1, 0, 8));
        sync(B, live("r3", "arena", 1, 0, 16));
        reserve(ReserveMode.NAMED, "r1", "a", 10_000, false);
        await(dir.consume("r1", "a", A, HOLD_MS));
        reserve(ReserveMode.REJOIN, "r1", "b", 10_000, false);
        await(dir.checkpoint("r1", A, 1, 30, new byte[] {7}));
        sync(A, closed("r1", "arena", 1), closed("r2", "tag", 1));
        final List<String> left = redis.keys(prefix);
        left.removeIf(key -> key.equals(prefix + "nodes") || key.equals(prefix + "load")
            || key.startsWith(prefix + "node:") || key.endsWith(":r3") || key.equals(prefix + "rooms")
            || key.equals(prefix + "open:arena") || key.equals(prefix + "noderooms:" + B));
        assertEquals(List.of(), left, "only the nodes' keys and B's room r3 are left");
        await(dir.leave(A));
        await(dir.leave(B));
        assertEquals(List.of(), redis.keys(prefix));
    }

    /**
     * A join costs two round trips (reserve, consume) and a bounded number of commands, whatever the number of
     * rooms: no scan, no per-room loop (design §2, "Redis operations per join").
     */
    @Test
    void aJoinCostsTwoScriptsAndABoundedNumberOfCommands()
    {
        beat(A, true);
        final List<RedisDirectory.RoomLine> rooms = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            rooms.add(live("big-" + i, "arena", 1, 0, 16));
        }
        sync(A, rooms.toArray(new RedisDirectory.RoomLine[0]));
        for (final ReserveMode mode : List.of(ReserveMode.NAMED, ReserveMode.ANY, ReserveMode.NEW))
        {
            final int joins = 20;
            redis.command("CONFIG", "RESETSTAT");
            for (int i = 0; i < joins; i++)
            {
                final ReserveReply reply = reserve(mode, mode == ReserveMode.NAMED ? "big-" + i : "n-" + mode + i,
                    mode + "-" + i, 10_000, true);
                assertEquals("OK", reply.status(), mode + " " + reply);
                assertEquals("OK", await(dir.consume(reply.room(), mode + "-" + i, A, HOLD_MS)));
            }
            final Map<String, Long> calls = commandCalls();
            assertEquals(2L * joins, calls.getOrDefault("evalsha", 0L), "two round trips per join");
            final long perJoin = (calls.values().stream().mapToLong(Long::longValue).sum()
                - calls.getOrDefault("evalsha", 0L)) / joins;
            assertTrue(perJoin <= (mode == ReserveMode.NEW ? 24 : 16), mode + ": " + perJoin + " commands per join "
                + calls);
            assertFalse(calls.containsKey("scan") || calls.containsKey("keys") || calls.containsKey("smembers"),
                calls.toString());
        }
    }

    /** @return Redis's clock in milliseconds, as the scripts read it ({@code TIME}) */
    private long redisNowMs()
    {
        final List<?> time = (List<?>)redis.command("TIME");
        return Long.parseLong((String)time.get(0)) * 1000 + Long.parseLong((String)time.get(1)) / 1000;
    }

    private Map<String, Long> commandCalls()
    {
        final Map<String, Long> calls = new TreeMap<>();
        for (final String line : ((String)redis.command("INFO", "commandstats")).split("\r\n"))
        {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_config") && !line.startsWith("cmdstat_info"))
            {
                calls.put(line.substring(8, line.indexOf(':')), Long.parseLong(line.substring(
                    line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")))));
            }
        }
        return calls;
    }

    private HeartbeatReply beat(final String node, final boolean first)
    {
        return await(dir.heartbeat(node, "ws://" + node + "/ws", GAMES, 1, 2, 3, false, 10, first));
    }

    private SyncReply sync(final String node, final RedisDirectory.RoomLine... rooms)
    {
        return await(dir.sync(node, List.of(rooms)));
    }

    private ReserveReply reserve(
        final ReserveMode mode, final String room, final String rid, final long ttlMs, final boolean create)
    {
        return await(dir.reserve(mode, "arena", room, rid, ttlMs, create, 16, HOLD_MS));
    }
}
