package io.tickwire.bots;

import io.tickwire.codec.Durations;
import io.tickwire.codec.WireFormat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link Swarm} runs: how many bots, where they connect, which rooms they join, and for how long.
 *
 * @param url              WebSocket URL of the server, {@code ws://host:port/path}; the only address bots connect to.
 * @param bots             number of bots, each on its own connection.
 * @param rooms            number of rooms; bot {@code i} joins room {@code roomPrefix + (i % rooms)}.
 * @param roomPrefix       prefix of the room names.
 * @param durationNs       length of the run from its start, ramp included, in nanoseconds.
 * @param threads          number of event loop threads the bots share.
 * @param rampPerSecond    connections started per second; bot {@code i} connects {@code i / rampPerSecond} s in.
 * @param inputRateHz      inputs per second per bot, or 0 to use the tick rate the welcome announces.
 * @param seed             seed of the bots' random walks; bot {@code i} mixes in {@code i}.
 * @param connectTimeoutNs bound on the TCP connect and, separately, on the WebSocket handshake, in nanoseconds.
 * @param closeTimeoutNs   how long bots may take to close after the run ends before they are cut off, in nanoseconds.
 */
public record SwarmConfig(
    URI url,
    int bots,
    int rooms,
    String roomPrefix,
    long durationNs,
    int threads,
    int rampPerSecond,
    int inputRateHz,
    long seed,
    long connectTimeoutNs,
    long closeTimeoutNs)
{
    public static final String DEFAULT_URL = "ws://127.0.0.1:7777/ws";
    public static final int DEFAULT_BOTS = 100;
    public static final int DEFAULT_ROOMS = 1;
    public static final String DEFAULT_ROOM_PREFIX = "arena-";
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_RAMP_PER_SECOND = 1000;
    public static final int INPUT_RATE_FROM_WELCOME = 0;
    public static final long DEFAULT_SEED = 1;
    public static final String DEFAULT_DURATION = "20s";
    public static final String DEFAULT_CONNECT_TIMEOUT = "10s";
    public static final String DEFAULT_CLOSE_TIMEOUT = "5s";
    public static final long DEFAULT_CONNECT_TIMEOUT_NS = Durations.parseNs(DEFAULT_CONNECT_TIMEOUT);
    public static final long DEFAULT_CLOSE_TIMEOUT_NS = Durations.parseNs(DEFAULT_CLOSE_TIMEOUT);

    /** Most bots one swarm runs; a single client address runs out of ephemeral ports well before this. */
    public static final int MAX_BOTS = 50_000;
    public static final int MAX_THREADS = 256;
    public static final int MAX_INPUT_RATE_HZ = 1000;

    private static final long MAX_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(5);
    private static final long MAX_DURATION_NS = TimeUnit.DAYS.toNanos(1);

    public SwarmConfig
    {
        if (url == null || url.getScheme() == null || !"ws".equals(url.getScheme().toLowerCase(Locale.ROOT)))
        {
            throw new IllegalArgumentException("url must be ws://host:port/path (wss is not supported): " + url);
        }
        if (url.getHost() == null)
        {
            throw new IllegalArgumentException("url has no host: " + url);
        }
        requireRange("bots", bots, 1, MAX_BOTS);
        requireRange("rooms", rooms, 1, MAX_BOTS);
        requireRange("threads", threads, 1, MAX_THREADS);
        requireRange("ramp", rampPerSecond, 1, 1_000_000);
        requireRange("input rate", inputRateHz, INPUT_RATE_FROM_WELCOME, MAX_INPUT_RATE_HZ);
        requireDuration("duration", durationNs, MAX_DURATION_NS);
        requireDuration("connect timeout", connectTimeoutNs, MAX_TIMEOUT_NS);
        requireDuration("close timeout", closeTimeoutNs, MAX_TIMEOUT_NS);
        if (roomPrefix == null)
        {
            throw new IllegalArgumentException("room prefix must not be null");
        }
        final int longestRoomName =
            roomPrefix.getBytes(StandardCharsets.UTF_8).length + Integer.toString(rooms - 1).length();
        if (longestRoomName > WireFormat.MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "room names would be " + longestRoomName + " bytes; at most " + WireFormat.MAX_NAME_LENGTH);
        }
    }

    /**
     * @return a configuration with the defaults for everything but the URL, the numbers of bots and rooms and the
     * duration.
     */
    public static SwarmConfig of(final URI url, final int bots, final int rooms, final long durationNs)
    {
        return new SwarmConfig(
            url, bots, rooms, DEFAULT_ROOM_PREFIX, durationNs, DEFAULT_THREADS, DEFAULT_RAMP_PER_SECOND,
            INPUT_RATE_FROM_WELCOME, DEFAULT_SEED, DEFAULT_CONNECT_TIMEOUT_NS, DEFAULT_CLOSE_TIMEOUT_NS);
    }

    /**
     * @return the port of the URL, 80 when it names none.
     */
    public int port()
    {
        return url.getPort() == -1 ? 80 : url.getPort();
    }

    /**
     * @return the name of the room bot {@code botIndex} joins.
     */
    public String roomName(final int botIndex)
    {
        return roomPrefix + (botIndex % rooms);
    }

    /**
     * @return the player name bot {@code botIndex} joins with.
     */
    public static String playerName(final int botIndex)
    {
        return "bot-" + botIndex;
    }

    /**
     * @return when bot {@code botIndex} starts to connect, in nanoseconds after the start of the run.
     */
    public long connectDelayNs(final int botIndex)
    {
        return botIndex * TimeUnit.SECONDS.toNanos(1) / rampPerSecond;
    }

    private static void requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }

    private static void requireDuration(final String name, final long valueNs, final long maxNs)
    {
        if (valueNs <= 0 || valueNs > maxNs)
        {
            throw new IllegalArgumentException(
                name + " must be more than 0 and at most " + TimeUnit.NANOSECONDS.toSeconds(maxNs) + " s");
        }
    }
}
