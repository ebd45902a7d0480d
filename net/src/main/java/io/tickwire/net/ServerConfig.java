package io.tickwire.net;

import io.tickwire.api.GameType;
import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.Utf8;
import io.tickwire.codec.WireFormat;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of a server, fixed at start.
 *
 * @param host                 address to bind.
 * @param port                 port to bind, 0 for an ephemeral one.
 * @param ioThreads            Netty event loops for client connections.
 * @param shards               simulation shard threads.
 * @param pinnedRooms          rooms created at start and kept while the server runs, as {@code TYPE:NAME} (the
 *                             demo room).
 * @param maxRooms             most rooms open at once on the server, of every type; each type caps its own too.
 * @param idleTimeoutSeconds   a connection that sends nothing for this long is closed.
 * @param writeBufferLowBytes  a non-writable connection becomes writable again below this many queued bytes.
 * @param writeBufferHighBytes above this many queued bytes a connection is not writable and misses snapshots.
 * @param maxMessagesPerSecond frames (messages and control frames) a connection may send per second, sustained, with
 *                             bursts of ten seconds' worth; more close it with 1008.
 * @param shard                settings of every shard.
 * @param tcpNotSentLowatBytes with the epoll and io_uring transports, the most unsent bytes the kernel queues per
 *                             connection ({@code TCP_NOTSENT_LOWAT}) before the socket stops taking writes, so a
 *                             stalled client fills Netty's buffer, and is conflated, within a few snapshots; 0 leaves
 *                             the kernel's own limit (the send buffer, autotuned up to megabytes).
 * @param notReadingTimeoutMs  a connection that stays not writable (above {@code writeBufferHighBytes}) this long
 *                             without a break is closed with 4006 NOT_READING.
 * @param access               who may connect: tokens, origins, connection caps, handshake deadline, TLS.
 * @param inspectRooms         whether {@code GET /rooms/<name>} shows what is inside a room, every player's position
 *                             included (an operator's and a test's tool; a wallhack in public).
 * @param io                   the event loops' transport and pacing.
 */
public record ServerConfig(
    String host,
    int port,
    int ioThreads,
    int shards,
    List<String> pinnedRooms,
    int maxRooms,
    int idleTimeoutSeconds,
    int writeBufferLowBytes,
    int writeBufferHighBytes,
    int maxMessagesPerSecond,
    ShardConfig shard,
    int tcpNotSentLowatBytes,
    long notReadingTimeoutMs,
    AccessConfig access,
    boolean inspectRooms,
    IoConfig io)
{
    /** {@link #tcpNotSentLowatBytes()} by default. */
    public static final int DEFAULT_TCP_NOTSENT_LOWAT_BYTES = 16 * 1024;
    /** {@link #notReadingTimeoutMs()} by default. */
    public static final long DEFAULT_NOT_READING_TIMEOUT_MS = 10_000;

    /**
     * Frames a second a well-behaved client may send besides its inputs, acks and game messages: about one PING a
     * second, pongs to the server's WebSocket pings, a WebSocket ping of its own, JOIN, LEAVE and the close frame,
     * with room to spare.
     */
    public static final int CONTROL_FRAMES_PER_SECOND = 30;

    public ServerConfig
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        if (ioThreads < 1 || shards < 1)
        {
            throw new IllegalArgumentException("ioThreads and shards must be positive");
        }
        if (idleTimeoutSeconds < 1)
        {
            throw new IllegalArgumentException("idleTimeoutSeconds must be positive: " + idleTimeoutSeconds);
        }
        if (writeBufferLowBytes < 1 || writeBufferHighBytes < writeBufferLowBytes)
        {
            throw new IllegalArgumentException("need 0 < writeBufferLowBytes <= writeBufferHighBytes");
        }
        if (maxMessagesPerSecond < 1)
        {
            throw new IllegalArgumentException("maxMessagesPerSecond must be positive: " + maxMessagesPerSecond);
        }
        if (tcpNotSentLowatBytes < 0 || notReadingTimeoutMs < 1)
        {
            throw new IllegalArgumentException("need tcpNotSentLowatBytes >= 0 and notReadingTimeoutMs > 0");
        }
        if (maxRooms < 1)
        {
            throw new IllegalArgumentException("maxRooms must be positive: " + maxRooms);
        }
        final Set<String> names = new HashSet<>();
        for (final String room : pinnedRooms)
        {
            final int colon = room.indexOf(':');
            final String name = colon < 0 ? "" : room.substring(colon + 1);
            final int length = Utf8.encodedLength(name);
            if (colon < 1 || length < 1 || length > WireFormat.MAX_NAME_LENGTH)
            {
                throw new IllegalArgumentException("a room is TYPE:NAME, the name 1..32 bytes of text: " + room);
            }
            if (!names.add(name))
            {
                throw new IllegalArgumentException("two rooms named " + name);
            }
        }
        pinnedRooms = List.copyOf(pinnedRooms);
        if (access == null || io == null)
        {
            throw new IllegalArgumentException("access and I/O settings must not be null");
        }
    }

    /**
     * Settings with the default I/O ({@link IoConfig#defaults()}).
     */
    public ServerConfig(
        final String host, final int port, final int ioThreads, final int shards, final List<String> pinnedRooms,
        final int maxRooms, final int idleTimeoutSeconds, final int writeBufferLowBytes, final int writeBufferHighBytes,
        final int maxMessagesPerSecond, final ShardConfig shard, final int tcpNotSentLowatBytes,
        final long notReadingTimeoutMs, final AccessConfig access, final boolean inspectRooms)
    {
        this(host, port, ioThreads, shards, pinnedRooms, maxRooms, idleTimeoutSeconds, writeBufferLowBytes,
            writeBufferHighBytes, maxMessagesPerSecond, shard, tcpNotSentLowatBytes, notReadingTimeoutMs, access,
            inspectRooms, IoConfig.defaults());
    }

    /**
     * Settings without room inspection.
     */
    public ServerConfig(
        final String host, final int port, final int ioThreads, final int shards, final List<String> pinnedRooms,
        final int maxRooms, final int idleTimeoutSeconds, final int writeBufferLowBytes, final int writeBufferHighBytes,
        final int maxMessagesPerSecond, final ShardConfig shard, final int tcpNotSentLowatBytes,
        final long notReadingTimeoutMs, final AccessConfig access)
    {
        this(host, port, ioThreads, shards, pinnedRooms, maxRooms, idleTimeoutSeconds, writeBufferLowBytes,
            writeBufferHighBytes, maxMessagesPerSecond, shard, tcpNotSentLowatBytes, notReadingTimeoutMs, access,
            false);
    }

    /**
     * Settings with the default access settings ({@link AccessConfig#defaults()}: no tokens, no TLS).
     */
    public ServerConfig(
        final String host, final int port, final int ioThreads, final int shards, final List<String> pinnedRooms,
        final int maxRooms, final int idleTimeoutSeconds, final int writeBufferLowBytes, final int writeBufferHighBytes,
        final int maxMessagesPerSecond, final ShardConfig shard, final int tcpNotSentLowatBytes,
        final long notReadingTimeoutMs)
    {
        this(host, port, ioThreads, shards, pinnedRooms, maxRooms, idleTimeoutSeconds, writeBufferLowBytes,
            writeBufferHighBytes, maxMessagesPerSecond, shard, tcpNotSentLowatBytes, notReadingTimeoutMs,
            AccessConfig.defaults());
    }

    /**
     * Settings with the default kernel send limit, not-reading deadline and access settings.
     */
    public ServerConfig(
        final String host, final int port, final int ioThreads, final int shards, final List<String> pinnedRooms,
        final int maxRooms, final int idleTimeoutSeconds, final int writeBufferLowBytes, final int writeBufferHighBytes,
        final int maxMessagesPerSecond, final ShardConfig shard)
    {
        this(host, port, ioThreads, shards, pinnedRooms, maxRooms, idleTimeoutSeconds, writeBufferLowBytes,
            writeBufferHighBytes, maxMessagesPerSecond, shard, DEFAULT_TCP_NOTSENT_LOWAT_BYTES,
            DEFAULT_NOT_READING_TIMEOUT_MS);
    }

    /**
     * The default frame budget of a connection (every WebSocket frame it sends counts, control frames included), from
     * what the protocol lets a client send at {@code tickRateHz}:
     * <pre>
     *   INPUT, one a tick                                        tickRateHz
     *   ACK, at most one an input period                         tickRateHz
     *   MESSAGE, each client type at its declared rate            the largest sum over the catalog's games
     *   PING, WebSocket ping/pong, JOIN, LEAVE, close             CONTROL_FRAMES_PER_SECOND
     * </pre>
     * 95 at 30 Hz with the arena's or tag's chat (5/s); 291 at 128 Hz; 37 at 1 Hz. The bucket
     * holds ten seconds of it, so jitter and a burst after a stall pass; a flood does not.
     */
    public static int defaultMaxMessagesPerSecond(final int tickRateHz, final GameCatalog catalog)
    {
        long clientMessagesPerSecond = 0;
        for (final GameType type : catalog.types())
        {
            long perGame = 0;
            for (final MessageType messageType : type.messageTypes())
            {
                perGame += messageType.ratePerSecond();
            }
            clientMessagesPerSecond = Math.max(clientMessagesPerSecond, perGame);
        }
        return Math.toIntExact(2L * tickRateHz + clientMessagesPerSecond + CONTROL_FRAMES_PER_SECOND);
    }

    /**
     * @return this configuration with other pinned rooms.
     */
    public ServerConfig withPinnedRooms(final List<String> rooms)
    {
        return new ServerConfig(host, port, ioThreads, shards, rooms, maxRooms, idleTimeoutSeconds, writeBufferLowBytes,
            writeBufferHighBytes, maxMessagesPerSecond, shard, tcpNotSentLowatBytes, notReadingTimeoutMs, access,
            inspectRooms, io);
    }

    /**
     * @return this configuration with other access settings.
     */
    public ServerConfig withAccess(final AccessConfig settings)
    {
        return new ServerConfig(host, port, ioThreads, shards, pinnedRooms, maxRooms, idleTimeoutSeconds,
            writeBufferLowBytes, writeBufferHighBytes, maxMessagesPerSecond, shard, tcpNotSentLowatBytes,
            notReadingTimeoutMs, settings, inspectRooms, io);
    }

    /**
     * @return this configuration with room inspection ({@code GET /rooms/<name>}) on or off.
     */
    public ServerConfig withInspectRooms(final boolean inspect)
    {
        return new ServerConfig(host, port, ioThreads, shards, pinnedRooms, maxRooms, idleTimeoutSeconds,
            writeBufferLowBytes, writeBufferHighBytes, maxMessagesPerSecond, shard, tcpNotSentLowatBytes,
            notReadingTimeoutMs, access, inspect, io);
    }

    /**
     * @return this configuration with other I/O settings.
     */
    public ServerConfig withIo(final IoConfig settings)
    {
        return new ServerConfig(host, port, ioThreads, shards, pinnedRooms, maxRooms, idleTimeoutSeconds,
            writeBufferLowBytes, writeBufferHighBytes, maxMessagesPerSecond, shard, tcpNotSentLowatBytes,
            notReadingTimeoutMs, access, inspectRooms, settings);
    }
}
