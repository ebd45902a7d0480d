package io.tickwire.bots;

import io.tickwire.codec.Durations;
import io.tickwire.codec.WireFormat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a {@link Swarm} runs: how many bots, where they connect, which game and rooms they join, how they behave,
 * for how long, and what the run must achieve to pass. Build one with {@link #of(URI, int, int, long)} or
 * {@link #builder(URI)}; every setting has a default but the URL.
 *
 * @param url              WebSocket URL of the server, {@code ws://host:port/path} or {@code wss://...}; the only
 *                         address bots connect to.
 * @param bots             number of bots, each on its own connection.
 * @param rooms            number of rooms; bot {@code i} joins room {@code roomPrefix + (i % rooms)}, by name.
 * @param roomPrefix       prefix of the room names; {@code <roomType>-} unless set.
 * @param durationNs       length of the run from its start, ramp included, in nanoseconds.
 * @param threads          number of event loop threads the bots share; the builder turns {@link #AUTO_THREADS} into
 *                         {@link #defaultThreads()}.
 * @param rampPerSecond    connections started per second; bot {@code i} connects {@code i / rampPerSecond} s in.
 * @param inputRateHz      inputs per second per bot, or 0 to use the tick rate the welcome announces.
 * @param seed             seed of everything random: the bots' movement, churn picks and backoff jitter.
 * @param connectTimeoutNs bound on the TCP connect, on the WebSocket handshake and on the wait for the welcome, each
 *                         separately, in nanoseconds.
 * @param closeTimeoutNs   how long a bot may take to close before it is cut off, in nanoseconds.
 * @param behaviour        how the bots move.
 * @param game             the game the bots play: their brains, and the room type they join unless
 *                         {@code roomType} is set.
 * @param roomType         the room type the bots join: {@code game}'s name unless set, or any game whose inputs the
 *                         brain fills by field name (a game with {@code moveX} and {@code moveY} inputs walks).
 * @param churnPerSecond   fraction of the bots that close their connection on purpose each second, 0..1, and come
 *                         back after a backoff; 0 for none.
 * @param pingIntervalNs   time between one bot's pings, in nanoseconds; 0 for no pings.
 * @param warmupNs         time from the start of the run during which latency, round-trip and jitter samples are
 *                         not recorded, in nanoseconds.
 * @param thresholds       what the run must achieve to pass.
 * @param tokens           how the bots mint their tokens, or null to connect without one.
 * @param trustAnyCertificate over wss, accept any server certificate (a self-signed development one); never in
 *                         production.
 * @param resume           whether a bot dropped by churn drops its socket abruptly (no close frame, as a network
 *                         loss does) and comes back with its resume token: same seat, stream and message sequences
 *                         going on, its unconfirmed messages sent again; when false, a dropped bot leaves (LEAVE) and
 *                         joins afresh.
 * @param reconnect        whether a bot whose connection ended without its asking (an error, which still counts, or
 *                         a server draining) connects again after a backoff, as after a churn drop; false ends it.
 * @param room             the one room every bot joins, by this exact name; null to spread the bots over
 *                         {@code rooms} rooms named {@code roomPrefix + i}.
 * @param answerChat       whether a bot answers a chat line that mentions it ({@code @bot-07}): once, in chat, with
 *                         a line starting {@code @<sender's name> } (see {@link ChatAnswerer}).
 * @param matchmakers      HTTP base URLs of a cluster's matchmakers ({@code http://host:port}, any node's), or
 *                         empty: with them, every (re)connect first asks {@code POST <matchmaker>/matchmake} for a
 *                         seat and connects to the node it names with the reservation, and {@code url} is not used
 *                         (docs/SCALE.md); bot {@code i} asks matchmaker {@code i % n}, and the next one after a
 *                         matchmaker did not answer.
 * @param matchmakerAny    with a matchmaker, ask for any open room of the type instead of room {@link #roomName}.
 * @param transport        the bots' socket transport; {@link BotTransport#AUTO} picks epoll where it is available.
 * @param writes           how the bots' event loops write; {@link BotWrites#AUTO} batches them in one io_uring
 *                         submission a cycle where the transport and the system allow it.
 * @param inputsFromWelcome whether each bot starts its input clock at its WELCOME, as a naive client does, instead
 *                         of at its own phase of the period, spread evenly over the swarm: a tick-paced server
 *                         answers every JOIN at the same point of its tick, so every bot's inputs then arrive at one
 *                         point of the server's tick.
 * @param sendBufferBytes  the send buffer of each bot's socket ({@code SO_SNDBUF}), or {@link #KERNEL_SEND_BUFFER}
 *                         for the kernel's own, which grows with the connection: a small one makes a bot's writes
 *                         come back short or refused whenever the server reads slowly, as a client on a slow link
 *                         sees them.
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
    long closeTimeoutNs,
    Behaviour behaviour,
    GameKind game,
    String roomType,
    double churnPerSecond,
    long pingIntervalNs,
    long warmupNs,
    SwarmThresholds thresholds,
    BotTokens tokens,
    boolean trustAnyCertificate,
    boolean resume,
    boolean reconnect,
    String room,
    boolean answerChat,
    List<URI> matchmakers,
    boolean matchmakerAny,
    BotTransport transport,
    BotWrites writes,
    boolean inputsFromWelcome,
    int sendBufferBytes)
{
    /** {@link #sendBufferBytes}: the kernel's own send buffer. */
    public static final int KERNEL_SEND_BUFFER = 0;
    /** The largest {@link #sendBufferBytes} accepted; the kernel caps it further, at {@code net.core.wmem_max}. */
    public static final int MAX_SEND_BUFFER_BYTES = 64 << 20;
    public static final String DEFAULT_URL = "ws://127.0.0.1:7777/ws";
    public static final int DEFAULT_BOTS = 100;
    public static final int DEFAULT_ROOMS = 1;
    public static final GameKind DEFAULT_GAME = GameKind.ARENA;
    /** Asks the builder for one event loop per core this process may run on ({@link #defaultThreads()}). */
    public static final int AUTO_THREADS = 0;
    public static final int DEFAULT_THREADS = AUTO_THREADS;
    public static final int DEFAULT_RAMP_PER_SECOND = 1000;
    public static final int INPUT_RATE_FROM_WELCOME = 0;
    public static final long DEFAULT_SEED = 1;
    public static final String DEFAULT_DURATION = "20s";
    public static final String DEFAULT_CONNECT_TIMEOUT = "10s";
    public static final String DEFAULT_CLOSE_TIMEOUT = "5s";
    public static final String DEFAULT_PING_INTERVAL = "1s";
    public static final String DEFAULT_WARMUP = "2s";
    public static final long DEFAULT_DURATION_NS = Durations.parseNs(DEFAULT_DURATION);
    public static final long DEFAULT_CONNECT_TIMEOUT_NS = Durations.parseNs(DEFAULT_CONNECT_TIMEOUT);
    public static final long DEFAULT_CLOSE_TIMEOUT_NS = Durations.parseNs(DEFAULT_CLOSE_TIMEOUT);
    public static final long DEFAULT_PING_INTERVAL_NS = Durations.parseNs(DEFAULT_PING_INTERVAL);
    public static final long DEFAULT_WARMUP_NS = Durations.parseNs(DEFAULT_WARMUP);
    public static final Behaviour DEFAULT_BEHAVIOUR = Behaviour.RANDOM_WALK;

    /** Most bots one swarm runs; a single client address runs out of ephemeral ports well before this. */
    public static final int MAX_BOTS = 50_000;
    public static final int MAX_THREADS = 256;
    public static final int MAX_INPUT_RATE_HZ = 1000;

    /** Most of the bots churn may drop per second: each bot once a second on average. */
    public static final double MAX_CHURN_PER_SECOND = 1.0;

    /** Shortest interval between one bot's pings. */
    public static final long MIN_PING_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final long MAX_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(5);
    private static final long MAX_DURATION_NS = TimeUnit.DAYS.toNanos(1);

    public SwarmConfig
    {
        if (url == null || url.getScheme() == null ||
            !("ws".equals(url.getScheme().toLowerCase(Locale.ROOT)) ||
            "wss".equals(url.getScheme().toLowerCase(Locale.ROOT))))
        {
            throw new IllegalArgumentException("url must be ws://host:port/path or wss://host:port/path: " + url);
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
        requireRange("send buffer", sendBufferBytes, KERNEL_SEND_BUFFER, MAX_SEND_BUFFER_BYTES);
        requireDuration("duration", durationNs, MAX_DURATION_NS);
        requireDuration("connect timeout", connectTimeoutNs, MAX_TIMEOUT_NS);
        requireDuration("close timeout", closeTimeoutNs, MAX_TIMEOUT_NS);
        if (roomPrefix == null || behaviour == null || game == null || roomType == null || thresholds == null ||
            transport == null || writes == null)
        {
            throw new IllegalArgumentException(
                "room prefix, behaviour, game, room type, thresholds, transport and writes must not be null");
        }
        final int longestRoomName = room != null ? room.getBytes(StandardCharsets.UTF_8).length :
            roomPrefix.getBytes(StandardCharsets.UTF_8).length + Integer.toString(rooms - 1).length();
        if (longestRoomName > WireFormat.MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "room names would be " + longestRoomName + " bytes; at most " + WireFormat.MAX_NAME_LENGTH);
        }
        if (!(churnPerSecond >= 0 && churnPerSecond <= MAX_CHURN_PER_SECOND))
        {
            throw new IllegalArgumentException(
                "churn must be a fraction of the bots per second, 0.." + MAX_CHURN_PER_SECOND + ": " + churnPerSecond);
        }
        if (pingIntervalNs != 0 && (pingIntervalNs < MIN_PING_INTERVAL_NS || pingIntervalNs > MAX_TIMEOUT_NS))
        {
            throw new IllegalArgumentException("ping interval must be 0 (no pings) or 10 ms to 5 min");
        }
        if (warmupNs < 0 || warmupNs > MAX_DURATION_NS)
        {
            throw new IllegalArgumentException("warm-up must be 0 or more and at most a day");
        }
        matchmakers = List.copyOf(matchmakers);
        requireMatchmakers(matchmakers, matchmakerAny);
    }

    /**
     * @return a configuration with the defaults for everything but the URL, the numbers of bots and rooms and the
     * duration.
     */
    public static SwarmConfig of(final URI url, final int bots, final int rooms, final long durationNs)
    {
        return builder(url).bots(bots).rooms(rooms).durationNs(durationNs).build();
    }

    /**
     * @return a builder holding the defaults, aimed at {@code url}.
     */
    public static Builder builder(final URI url)
    {
        return new Builder(url);
    }

    /**
     * @return a builder holding this configuration.
     */
    public Builder toBuilder()
    {
        return new Builder(this);
    }

    /**
     * @param churnPerSecond fraction of the bots that drop and come back each second, 0..1.
     * @return this configuration with that churn.
     */
    public SwarmConfig withChurn(final double churnPerSecond)
    {
        return toBuilder().churnPerSecond(churnPerSecond).build();
    }

    /**
     * @param bots        number of bots.
     * @param botsPerRoom most bots in one room, 1 or more.
     * @return the fewest rooms that hold {@code bots} with at most {@code botsPerRoom} in each, as
     * {@link #roomName(int)} spreads them.
     */
    public static int roomsFor(final int bots, final int botsPerRoom)
    {
        requireRange("bots per room", botsPerRoom, 1, MAX_BOTS);
        return Math.max(1, (bots + botsPerRoom - 1) / botsPerRoom);
    }

    /**
     * @return the port of the URL, 80 (443 for wss) when it names none.
     */
    public int port()
    {
        return url.getPort() != -1 ? url.getPort() : isTls() ? 443 : 80;
    }

    /**
     * @return where the bots go: the first matchmaker's URL with matchmakers, else the WebSocket URL.
     */
    public URI entryPoint()
    {
        return matchmakers.isEmpty() ? url : matchmakers.get(0);
    }

    /**
     * @return the first matchmaker's base URL, or null without one.
     */
    public URI matchmaker()
    {
        return matchmakers.isEmpty() ? null : matchmakers.get(0);
    }

    /**
     * @return whether the bots connect over TLS (a {@code wss} URL).
     */
    public boolean isTls()
    {
        return "wss".equals(url.getScheme().toLowerCase(Locale.ROOT));
    }

    /**
     * @return the name of the room bot {@code botIndex} joins, and joins again after each reconnect.
     */
    public String roomName(final int botIndex)
    {
        return room != null ? room : roomPrefix + (botIndex % rooms);
    }

    /**
     * @return the player name bot {@code botIndex} joins with: {@code bot-07}, {@code bot-12}, {@code bot-1234}
     * (at least two digits, so names line up on screen).
     */
    public static String playerName(final int botIndex)
    {
        return (botIndex < 10 ? "bot-0" : "bot-") + botIndex;
    }

    /**
     * @return when bot {@code botIndex} starts to connect, in nanoseconds after the start of the run.
     */
    public long connectDelayNs(final int botIndex)
    {
        return botIndex * TimeUnit.SECONDS.toNanos(1) / rampPerSecond;
    }

    private static void requireMatchmakers(final List<URI> matchmakers, final boolean matchmakerAny)
    {
        if (matchmakers.isEmpty() && matchmakerAny)
        {
            throw new IllegalArgumentException("any room through the matchmaker needs a matchmaker URL");
        }
        for (final URI matchmaker : matchmakers)
        {
            final String scheme =
                matchmaker.getScheme() == null ? "" : matchmaker.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme)) || matchmaker.getHost() == null ||
                matchmaker.getRawQuery() != null)
            {
                throw new IllegalArgumentException("matchmaker must be http://host:port or https://host:port: " +
                    matchmaker);
            }
        }
    }

    private static void requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ": " + value);
        }
    }

    /**
     * @return one event loop per core this process may run on, as {@link Runtime#availableProcessors()} sees them
     * (which honours {@code taskset} and container limits): a swarm pinned to one core runs one loop, where a second
     * would only add switches between the two (docs/PERFORMANCE.md, "The bot swarm's own cost").
     */
    public static int defaultThreads()
    {
        return Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
    }

    private static void requireDuration(final String name, final long valueNs, final long maxNs)
    {
        if (valueNs <= 0 || valueNs > maxNs)
        {
            throw new IllegalArgumentException(
                name + " must be more than 0 and at most " + TimeUnit.NANOSECONDS.toSeconds(maxNs) + " s");
        }
    }

    /**
     * Collects settings for a {@link SwarmConfig}; {@link #build()} checks them. Not thread safe.
     */
    public static final class Builder
    {
        private final URI url;
        private int bots = DEFAULT_BOTS;
        private int rooms = DEFAULT_ROOMS;
        private String roomPrefix;
        private long durationNs = DEFAULT_DURATION_NS;
        private int threads = DEFAULT_THREADS;
        private int rampPerSecond = DEFAULT_RAMP_PER_SECOND;
        private int inputRateHz = INPUT_RATE_FROM_WELCOME;
        private long seed = DEFAULT_SEED;
        private long connectTimeoutNs = DEFAULT_CONNECT_TIMEOUT_NS;
        private long closeTimeoutNs = DEFAULT_CLOSE_TIMEOUT_NS;
        private Behaviour behaviour = DEFAULT_BEHAVIOUR;
        private GameKind game = DEFAULT_GAME;
        private String roomType;
        private double churnPerSecond;
        private long pingIntervalNs = DEFAULT_PING_INTERVAL_NS;
        private long warmupNs = DEFAULT_WARMUP_NS;
        private SwarmThresholds thresholds = SwarmThresholds.DEFAULT;
        private BotTokens tokens;
        private boolean trustAnyCertificate;
        private boolean resume;
        private boolean inputsFromWelcome;
        private int sendBufferBytes = KERNEL_SEND_BUFFER;
        private boolean reconnect;
        private String room;
        private boolean answerChat;
        private List<URI> matchmakers = List.of();
        private boolean matchmakerAny;
        private BotTransport transport = BotTransport.AUTO;
        private BotWrites writes = BotWrites.AUTO;

        private Builder(final URI url)
        {
            this.url = url;
        }

        private Builder(final SwarmConfig config)
        {
            url = config.url;
            bots = config.bots;
            rooms = config.rooms;
            roomPrefix = config.roomPrefix.equals(config.roomType + "-") ? null : config.roomPrefix;
            durationNs = config.durationNs;
            threads = config.threads;
            rampPerSecond = config.rampPerSecond;
            inputRateHz = config.inputRateHz;
            seed = config.seed;
            connectTimeoutNs = config.connectTimeoutNs;
            closeTimeoutNs = config.closeTimeoutNs;
            behaviour = config.behaviour;
            game = config.game;
            roomType = config.roomType.equals(config.game.cliName()) ? null : config.roomType;
            churnPerSecond = config.churnPerSecond;
            pingIntervalNs = config.pingIntervalNs;
            warmupNs = config.warmupNs;
            thresholds = config.thresholds;
            tokens = config.tokens;
            trustAnyCertificate = config.trustAnyCertificate;
            resume = config.resume;
            inputsFromWelcome = config.inputsFromWelcome;
            sendBufferBytes = config.sendBufferBytes;
            reconnect = config.reconnect;
            room = config.room;
            answerChat = config.answerChat;
            matchmakers = config.matchmakers;
            matchmakerAny = config.matchmakerAny;
            transport = config.transport;
            writes = config.writes;
        }

        public Builder bots(final int bots)
        {
            this.bots = bots;
            return this;
        }

        public Builder rooms(final int rooms)
        {
            this.rooms = rooms;
            return this;
        }

        /**
         * @param roomPrefix prefix of the room names; null for the default, {@code <game>-}.
         */
        public Builder roomPrefix(final String roomPrefix)
        {
            this.roomPrefix = roomPrefix;
            return this;
        }

        public Builder durationNs(final long durationNs)
        {
            this.durationNs = durationNs;
            return this;
        }

        /**
         * @param threads event loop threads; {@link #AUTO_THREADS} for {@link #defaultThreads()}.
         */
        public Builder threads(final int threads)
        {
            this.threads = threads;
            return this;
        }

        public Builder rampPerSecond(final int rampPerSecond)
        {
            this.rampPerSecond = rampPerSecond;
            return this;
        }

        public Builder inputRateHz(final int inputRateHz)
        {
            this.inputRateHz = inputRateHz;
            return this;
        }

        public Builder seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public Builder connectTimeoutNs(final long connectTimeoutNs)
        {
            this.connectTimeoutNs = connectTimeoutNs;
            return this;
        }

        public Builder closeTimeoutNs(final long closeTimeoutNs)
        {
            this.closeTimeoutNs = closeTimeoutNs;
            return this;
        }

        public Builder behaviour(final Behaviour behaviour)
        {
            this.behaviour = behaviour;
            return this;
        }

        public Builder game(final GameKind game)
        {
            this.game = game;
            return this;
        }

        /**
         * @param roomType the room type the bots join; null for the game's own.
         */
        public Builder roomType(final String roomType)
        {
            this.roomType = roomType;
            return this;
        }

        public Builder churnPerSecond(final double churnPerSecond)
        {
            this.churnPerSecond = churnPerSecond;
            return this;
        }

        public Builder pingIntervalNs(final long pingIntervalNs)
        {
            this.pingIntervalNs = pingIntervalNs;
            return this;
        }

        public Builder warmupNs(final long warmupNs)
        {
            this.warmupNs = warmupNs;
            return this;
        }

        /**
         * @param resume whether churned bots drop abruptly and resume with their token.
         */
        public Builder resume(final boolean resume)
        {
            this.resume = resume;
            return this;
        }

        /**
         * @param inputsFromWelcome whether each bot starts its input clock at its WELCOME rather than at its own
         *                          phase.
         */
        public Builder inputsFromWelcome(final boolean inputsFromWelcome)
        {
            this.inputsFromWelcome = inputsFromWelcome;
            return this;
        }

        /**
         * @param sendBufferBytes the send buffer of each bot's socket, or {@link #KERNEL_SEND_BUFFER}.
         */
        public Builder sendBufferBytes(final int sendBufferBytes)
        {
            this.sendBufferBytes = sendBufferBytes;
            return this;
        }

        public Builder thresholds(final SwarmThresholds thresholds)
        {
            this.thresholds = thresholds;
            return this;
        }

        public Builder reconnect(final boolean reconnect)
        {
            this.reconnect = reconnect;
            return this;
        }

        /**
         * @param tokens how the bots mint their tokens; null to connect without one.
         */
        public Builder tokens(final BotTokens tokens)
        {
            this.tokens = tokens;
            return this;
        }

        /**
         * @param room the one room every bot joins by name; null to spread them over {@code rooms} rooms.
         */
        public Builder room(final String room)
        {
            this.room = room;
            return this;
        }

        public Builder answerChat(final boolean answerChat)
        {
            this.answerChat = answerChat;
            return this;
        }

        /**
         * @param matchmaker HTTP base URL of the matchmaker every (re)connect asks first; null for none.
         */
        public Builder matchmaker(final URI matchmaker)
        {
            return matchmakers(matchmaker == null ? List.of() : List.of(matchmaker));
        }

        /**
         * @param matchmakers HTTP base URLs of the matchmakers, bot {@code i} asking {@code i % n} first; empty for
         *                    none.
         */
        public Builder matchmakers(final List<URI> matchmakers)
        {
            this.matchmakers = matchmakers;
            return this;
        }

        /**
         * @param matchmakerAny with a matchmaker, ask for any open room instead of the bot's named room.
         */
        public Builder matchmakerAny(final boolean matchmakerAny)
        {
            this.matchmakerAny = matchmakerAny;
            return this;
        }

        public Builder transport(final BotTransport transport)
        {
            this.transport = transport;
            return this;
        }

        public Builder writes(final BotWrites writes)
        {
            this.writes = writes;
            return this;
        }

        public Builder trustAnyCertificate(final boolean trustAnyCertificate)
        {
            this.trustAnyCertificate = trustAnyCertificate;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a setting is out of range.
         */
        public SwarmConfig build()
        {
            final String type = roomType != null ? roomType : game == null ? null : game.cliName();
            final String prefix = roomPrefix != null ? roomPrefix : type == null ? null : type + "-";
            return new SwarmConfig(
                url, bots, rooms, prefix, durationNs, threads == AUTO_THREADS ? defaultThreads() : threads,
                rampPerSecond, inputRateHz, seed, connectTimeoutNs, closeTimeoutNs, behaviour, game, type,
                churnPerSecond, pingIntervalNs, warmupNs, thresholds, tokens, trustAnyCertificate, resume, reconnect,
                room, answerChat, matchmakers, matchmakerAny, transport, writes, inputsFromWelcome,
                sendBufferBytes);
        }
    }
}
