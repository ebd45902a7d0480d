package io.tickwire.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.tickwire.cluster.RedisDirectory.RoomLine;
import io.tickwire.testsupport.RedisServer;

/** Shared helpers of the cluster tests: configs on a test prefix, and waiting on stages with a bound. */
final class RedisFixture
{
    static final byte[] SECRET = "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    static final long HOLD_MS = 10_000;

    private RedisFixture()
    {
    }

    static ClusterConfig.Builder config(final RedisServer redis, final String prefix, final String hostPort)
    {
        return ClusterConfig.builder(redis.uri(), hostPort, "ws://" + hostPort + "/ws", SECRET).prefix(prefix);
    }

    static RedisDirectory directory(final RedisServer redis, final String prefix)
    {
        return RedisDirectory.connect(config(redis, prefix, "127.0.0.1:1").commandTimeout(Duration.ofSeconds(2))
            .build(), Runnable::run);
    }

    static <T> T await(final CompletionStage<T> stage)
    {
        try
        {
            return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("stage failed or timed out", ex);
        }
    }

    /** A live room line: epoch, clients, max; unlocked, public, no seated reservations. */
    static RoomLine live(final String name, final String type, final long epoch, final int clients, final int max)
    {
        return line(name, type, epoch, clients, max, false, List.of());
    }

    static RoomLine line(
        final String name, final String type, final long epoch, final int clients, final int max,
        final boolean locked, final List<String> seated)
    {
        return new RoomLine(name, type, epoch, false, clients, max, locked, false, "{\"m\":1}", 100, seated, -1);
    }

    static RoomLine closed(final String name, final String type, final long epoch)
    {
        return new RoomLine(name, type, epoch, true, 0, 0, false, false, "{}", 0, List.of(), -1);
    }

    static Map<String, String> hash(final RedisServer redis, final String key)
    {
        final List<?> flat = (List<?>)redis.command("HGETALL", key);
        final Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2)
        {
            map.put((String)flat.get(i), (String)flat.get(i + 1));
        }
        return map;
    }
}
