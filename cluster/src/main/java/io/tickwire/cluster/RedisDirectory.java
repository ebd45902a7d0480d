package io.tickwire.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

/**
 * The cluster's Redis: one Lettuce connection (String keys, byte[] values), the scripts of design §2 by
 * {@code EVALSHA}, and the listing reads. Every operation is asynchronous and its stage completes on the given
 * executor (the {@code tickwire-cluster} thread), never on Lettuce's I/O thread, so no result handling runs there;
 * stages derived with non-async methods before completion run there too. A Redis that
 * does not answer within the command timeout fails the operation; commands are refused at once while disconnected.
 *
 * <p>Thread safe: Lettuce connections accept commands from any thread (event loops call {@link #reserve} and
 * {@link #consume}). {@link #connect} and {@link #close} block and belong to startup and shutdown.
 */
final class RedisDirectory implements AutoCloseable
{
    private static final String[] NO_KEYS = new String[0];
    private static final int LETTUCE_MIN_THREADS = 2;
    private static final String[] ROOM_FIELDS =
        {"node", "type", "clients", "max", "locked", "private", "meta", "tick", "rtick", "state"};

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final String prefix;
    private final byte[] prefixBytes;
    private final Executor executor;

    private RedisDirectory(
        final ClientResources resources, final RedisClient client, final StatefulRedisConnection<String, byte[]> c,
        final String prefix, final Executor executor)
    {
        this.resources = resources;
        this.client = client;
        this.connection = c;
        this.redis = c.async();
        this.prefix = prefix;
        this.prefixBytes = bytes(prefix);
        this.executor = executor;
    }

    /**
     * Connects and loads every script. Blocks up to a few command timeouts; the caller's thread at startup.
     *
     * @param config   the cluster settings (URI, prefix, command timeout)
     * @param executor where completions run: the cluster thread
     * @return the directory
     */
    static RedisDirectory connect(final ClusterConfig config, final Executor executor)
    {
        final Duration timeout = Duration.ofMillis(config.commandTimeoutMs());
        // Two of each is Lettuce's floor (it raises a smaller size to 2 with a log line); one connection uses one.
        final ClientResources resources = DefaultClientResources.builder()
            .ioThreadPoolSize(LETTUCE_MIN_THREADS)
            .computationThreadPoolSize(LETTUCE_MIN_THREADS)
            .build();
        final RedisURI uri = RedisURI.create(config.redisUri());
        uri.setTimeout(timeout);
        final RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
        try
        {
            final StatefulRedisConnection<String, byte[]> connection =
                client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            final RedisDirectory directory = new RedisDirectory(resources, client, connection, config.prefix(),
                executor);
            for (final Scripts script : Scripts.values())
            {
                final String sha = connection.sync().scriptLoad(script.text());
                if (!script.sha().equals(sha))
                {
                    throw new IllegalStateException("Redis hashed " + script + " to " + sha + ", not " + script.sha());
                }
            }
            return directory;
        }
        catch (final RuntimeException ex)
        {
            client.shutdown(0, 1, TimeUnit.SECONDS);
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot use Redis at " + config.redisUri() + ": " + ex.getMessage(), ex);
        }
    }

    /** Closes the connection and Lettuce's threads. Blocks up to about two seconds. */
    public void close()
    {
        connection.close();
        client.shutdown(0, 1, TimeUnit.SECONDS);
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }

    /** Answer of {@code heartbeat.lua}: gone (reaped), or the rooms assigned to this node for restore. */
    record HeartbeatReply(boolean gone, List<String> assigned)
    {
    }

    CompletableFuture<HeartbeatReply> heartbeat(
        final String nodeId, final String url, final String games, final int rooms, final int clients,
        final long lateMs, final boolean draining, final long load, final boolean first)
    {
        return eval(Scripts.HEARTBEAT, ScriptOutputType.MULTI, bytes(nodeId), bytes(url), bytes(games), num(rooms),
            num(clients), num(lateMs), flag(draining), num(load), flag(first))
            .thenApply(reply -> "GONE".equals(RedisReplies.status(reply)) ? new HeartbeatReply(true, List.of())
                : new HeartbeatReply(false, RedisReplies.strings(RedisReplies.list(reply).get(2))));
    }

    /** Answer of {@code reap.lua}: the nodes reaped, and their rooms moved to live nodes. */
    record ReapReply(List<String> reapedNodes, List<String> movedRooms)
    {
    }

    CompletableFuture<ReapReply> reap(final long deadAfterMs)
    {
        return eval(Scripts.REAP, ScriptOutputType.MULTI, num(deadAfterMs)).thenApply(reply ->
        {
            final List<String> nodes = new ArrayList<>();
            final List<String> rooms = new ArrayList<>();
            for (final String item : RedisReplies.strings(reply))
            {
                if (item.startsWith(">"))
                {
                    rooms.add(item.substring(1));
                }
                else
                {
                    nodes.add(item);
                }
            }
            return new ReapReply(nodes, rooms);
        });
    }

    /** One room's line in a {@code sync.lua} call. */
    record RoomLine(
        String name, String type, long epoch, boolean closed, int clients, int maxClients, boolean locked,
        boolean hidden, String metadataJson, long tick, List<String> seatedRids, long restoredFromTick)
    {
    }

    /** Answer of {@code sync.lua}: gone (reaped), or the rooms another node owns now (fenced). */
    record SyncReply(boolean gone, List<String> fenced)
    {
    }

    CompletableFuture<SyncReply> sync(final String nodeId, final List<RoomLine> rooms)
    {
        final byte[][] args = new byte[3 + rooms.size() * 12][];
        args[0] = prefixBytes;
        args[1] = bytes(nodeId);
        args[2] = num(rooms.size());
        int i = 3;
        for (final RoomLine room : rooms)
        {
            args[i++] = bytes(room.name());
            args[i++] = bytes(room.type());
            args[i++] = num(room.epoch());
            args[i++] = bytes(room.closed() ? "closed" : "live");
            args[i++] = num(room.clients());
            args[i++] = num(room.maxClients());
            args[i++] = flag(room.locked());
            args[i++] = flag(room.hidden());
            args[i++] = bytes(room.metadataJson());
            args[i++] = num(room.tick());
            args[i++] = bytes(String.join(",", room.seatedRids()));
            args[i++] = num(room.restoredFromTick());
        }
        return evalRaw(Scripts.SYNC, ScriptOutputType.MULTI, args)
            .thenApply(reply -> "GONE".equals(RedisReplies.status(reply)) ? new SyncReply(true, List.of())
                : new SyncReply(false, RedisReplies.strings(RedisReplies.list(reply).get(1))));
    }

    /** Reservation modes of {@code reserve.lua}. */
    enum ReserveMode
    {
        NAMED, ANY, NEW, REJOIN
    }

    /**
     * Answer of {@code reserve.lua}: {@code status} OK with the room, node, URL and expiry (Redis time), or an error
     * word (NOT_FOUND, ROOM_GONE, FULL, LOCKED, EXISTS, RESTORING, NO_NODE).
     */
    record ReserveReply(String status, String room, String node, String url, long expiresAtMs)
    {
    }

    CompletableFuture<ReserveReply> reserve(
        final ReserveMode mode, final String type, final String room, final String rid, final long ttlMs,
        final boolean allowCreate, final int maxClients, final long holdMs)
    {
        return eval(Scripts.RESERVE, ScriptOutputType.MULTI, bytes(mode.name().toLowerCase(Locale.ROOT)),
            bytes(type), bytes(room), bytes(rid), num(ttlMs), flag(allowCreate), num(maxClients), num(holdMs))
            .thenApply(reply ->
            {
                final List<String> items = RedisReplies.strings(reply);
                if (!"OK".equals(items.get(0)))
                {
                    return new ReserveReply(items.get(0), null, null, null, 0);
                }
                if (items.size() != 5)
                {
                    throw new RedisReplies.RedisReplyException("reserve answered " + items.size() + " items");
                }
                return new ReserveReply("OK", items.get(1), items.get(2), items.get(3),
                    RedisReplies.parseLong(items.get(4), 0));
            });
    }

    /**
     * @return the word of {@code consume.lua}: OK, REJOIN, EXPIRED, UNKNOWN or WRONG_NODE
     */
    CompletableFuture<String> consume(final String room, final String rid, final String nodeId, final long holdMs)
    {
        return eval(Scripts.CONSUME, ScriptOutputType.VALUE, bytes(room), bytes(rid), bytes(nodeId), num(holdMs))
            .thenApply(RedisReplies::string);
    }

    /** @return true when written, false when fenced (the room is another node's or epoch's now) */
    CompletableFuture<Boolean> checkpoint(
        final String room, final String nodeId, final long epoch, final long tick, final byte[] checkpoint)
    {
        return eval(Scripts.CHECKPOINT, ScriptOutputType.INTEGER, bytes(room), bytes(nodeId), num(epoch), num(tick),
            checkpoint).thenApply(reply -> Long.valueOf(1).equals(reply));
    }

    /** What {@code claim.lua} hands the node a room was assigned to. */
    record Claim(long epoch, byte[] checkpoint)
    {
    }

    /** @return the epoch and checkpoint of a room assigned here for restore, or null when it is not (any more) */
    CompletableFuture<Claim> claim(final String room, final String nodeId)
    {
        return eval(Scripts.CLAIM, ScriptOutputType.MULTI, bytes(room), bytes(nodeId)).thenApply(reply ->
        {
            final List<?> items = RedisReplies.list(reply);
            if (items.isEmpty())
            {
                return null;
            }
            if (items.size() != 2 || !(items.get(1) instanceof byte[]))
            {
                throw new RedisReplies.RedisReplyException("claim answered " + items.size() + " items");
            }
            final long epoch = RedisReplies.parseLong(RedisReplies.string(items.get(0)), -1);
            if (epoch < 1)
            {
                throw new RedisReplies.RedisReplyException("claim answered a bad epoch");
            }
            return new Claim(epoch, (byte[])items.get(1));
        });
    }

    /** @return the rooms handed to other nodes */
    CompletableFuture<List<String>> release(final String nodeId)
    {
        return eval(Scripts.RELEASE, ScriptOutputType.MULTI, bytes(nodeId)).thenApply(RedisReplies::strings);
    }

    CompletableFuture<Void> leave(final String nodeId)
    {
        return eval(Scripts.LEAVE, ScriptOutputType.INTEGER, bytes(nodeId)).thenApply(reply -> null);
    }

    /** @return every listed room, sorted by name: {@code ZRANGE rooms} then one pipelined {@code HMGET} per room */
    CompletableFuture<List<ClusterRoom>> rooms()
    {
        return redis.zrange(prefix + "rooms", 0, -1).toCompletableFuture().thenCompose(names ->
        {
            final List<CompletableFuture<ClusterRoom>> rows = new ArrayList<>(names.size());
            for (final byte[] name : names)
            {
                final String room = new String(name, StandardCharsets.UTF_8);
                rows.add(redis.hmget(prefix + "room:" + room, ROOM_FIELDS).toCompletableFuture()
                    .thenApply(values -> roomOf(room, values)));
            }
            return CompletableFuture.allOf(rows.toArray(new CompletableFuture<?>[0])).thenApply(done ->
            {
                final List<ClusterRoom> rooms = new ArrayList<>(rows.size());
                for (final CompletableFuture<ClusterRoom> row : rows)
                {
                    final ClusterRoom room = row.join();
                    if (room != null)
                    {
                        rooms.add(room);
                    }
                }
                return Collections.unmodifiableList(rooms);
            });
        }).whenCompleteAsync(RedisDirectory::hop, executor);
    }

    /** @return each live node's games field ({@code ,type/max/create,...}), by node id */
    CompletableFuture<Map<String, String>> nodeGames()
    {
        return redis.zrange(prefix + "nodes", 0, -1).toCompletableFuture().thenCompose(ids ->
        {
            final Map<String, CompletableFuture<byte[]>> games = new TreeMap<>();
            for (final byte[] id : ids)
            {
                final String node = new String(id, StandardCharsets.UTF_8);
                games.put(node, redis.hget(prefix + "node:" + node, "games").toCompletableFuture());
            }
            return CompletableFuture.allOf(games.values().toArray(new CompletableFuture<?>[0])).thenApply(done ->
            {
                final Map<String, String> out = new TreeMap<>();
                games.forEach((node, value) ->
                {
                    final byte[] bytes = value.join();
                    if (bytes != null)
                    {
                        out.put(node, new String(bytes, StandardCharsets.UTF_8));
                    }
                });
                return out;
            });
        }).whenCompleteAsync(RedisDirectory::hop, executor);
    }

    private static ClusterRoom roomOf(final String name, final List<KeyValue<String, byte[]>> values)
    {
        final String[] v = new String[ROOM_FIELDS.length];
        for (int i = 0; i < v.length && i < values.size(); i++)
        {
            v[i] = values.get(i).hasValue() ? new String(values.get(i).getValue(), StandardCharsets.UTF_8) : null;
        }
        if (v[0] == null || v[1] == null || !"live".equals(v[9]))
        {
            return null;
        }
        return new ClusterRoom(name, v[0], v[1], (int)RedisReplies.parseLong(v[2], 0),
            (int)RedisReplies.parseLong(v[3], 0), "1".equals(v[4]), "1".equals(v[5]), v[6] == null ? "{}" : v[6],
            RedisReplies.parseLong(v[7], 0), RedisReplies.parseLong(v[8], -1));
    }

    private CompletableFuture<Object> eval(final Scripts script, final ScriptOutputType type, final byte[]... args)
    {
        final byte[][] all = new byte[args.length + 1][];
        all[0] = prefixBytes;
        System.arraycopy(args, 0, all, 1, args.length);
        return evalRaw(script, type, all);
    }

    /** EVALSHA; a NOSCRIPT (Redis restarted or flushed its script cache) loads the script and retries once. */
    private CompletableFuture<Object> evalRaw(final Scripts script, final ScriptOutputType type, final byte[][] args)
    {
        return redis.<Object>evalsha(script.sha(), type, NO_KEYS, args).toCompletableFuture()
            .exceptionallyCompose(failure ->
            {
                final Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (!(cause instanceof RedisNoScriptException))
                {
                    return CompletableFuture.failedFuture(cause);
                }
                return redis.scriptLoad(script.text()).toCompletableFuture()
                    .thenCompose(sha -> redis.<Object>evalsha(script.sha(), type, NO_KEYS, args));
            })
            .whenCompleteAsync(RedisDirectory::hop, executor);
    }

    /**
     * Completes a stage on the executor whatever its outcome: {@code thenApplyAsync} would complete a failed stage on
     * the thread that failed it (Lettuce's I/O thread).
     */
    private static void hop(final Object result, final Throwable failure)
    {
        // The hop is the point: the stage completes on the executor's thread.
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] num(final long value)
    {
        return bytes(Long.toString(value));
    }

    private static byte[] flag(final boolean value)
    {
        return value ? new byte[] {'1'} : new byte[] {'0'};
    }
}
