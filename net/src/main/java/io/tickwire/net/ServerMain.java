package io.tickwire.net;

import io.tickwire.api.GameSettings;
import io.tickwire.cluster.ClusterConfig;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.journal.JournalWriterAgent;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The server's command line: {@code java -jar tickwire-server.jar [options]}. Runs until interrupted (Ctrl-C,
 * SIGTERM) or for {@code --run-for}, then drains within {@code --drain-timeout} (see
 * {@link TickwireServer#drain(Duration, int)}) and exits with status 0.
 */
@Command(
    name = "tickwire-server",
    mixinStandardHelpOptions = true,
    version = "tickwire-server 0.1.0",
    sortOptions = false,
    description = "Authoritative game server: WebSocket at /ws, the demo page at /, HTTP GET /health, /metrics " +
        "(Prometheus), /rooms and /server (JSON); hosts the games found on the class path (arena, tag built in).")
public final class ServerMain implements Callable<Integer>
{
    private static final String DEFAULT_ROOM_TYPE = "arena";
    private static final String DEFAULT_ROOM_NAME = "demo";
    private static final int SPARE_CORES = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** The environment variable that may hold the token secret (a command line value would show in {@code ps}). */
    static final String TOKEN_SECRET_ENV = "TICKWIRE_TOKEN_SECRET";
    /** The environment variable that may hold the cluster secret, which signs seat reservations. */
    static final String CLUSTER_SECRET_ENV = "TICKWIRE_CLUSTER_SECRET";
    private static final int DEFAULT_DEMO_BOTS = 20;

    @Spec
    private CommandSpec spec;

    private JournalWriterAgent journalWriter;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "7777", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--tick-rate", defaultValue = "30", description = "Ticks and snapshots per second, 1..128 " +
        "(default: ${DEFAULT-VALUE}).")
    private int tickRateHz;

    @Option(names = "--shards", description = "Simulation threads (default: half the cores, at least 1).")
    private int shards = SPARE_CORES;

    @Option(names = "--io-threads", description = "Netty event loops (default: half the cores, at least 1).")
    private int ioThreads = SPARE_CORES;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|epoll|io_uring|nio",
        converter = TransportConverter.class, description = "Socket transport of the event loops; auto takes the " +
        "one measured cheapest per client-tick that the system offers, and the log says which runs and why " +
        "(default: ${DEFAULT-VALUE}).")
    private IoConfig.Transport transport;

    @Option(names = "--io-pacing", defaultValue = "tick", paramLabel = "tick|input", converter = PacingConverter.class,
        description = "When event loops read their sockets: tick = once right before each tick (and when a shard " +
        "hands them snapshots), a few wake-ups per tick; input = whenever a socket is ready, a wake-up per " +
        "message (default: ${DEFAULT-VALUE}).")
    private IoConfig.Pacing ioPacing;

    @Option(names = "--io-writes", defaultValue = "auto", paramLabel = "auto|batched|direct",
        converter = WritesConverter.class, description = "How epoll event loops write snapshots: batched = all of " +
        "a drain's in one io_uring submission, direct = a write(2) each; auto batches where the transport is epoll " +
        "and the system offers io_uring, and the log says which runs and why (default: ${DEFAULT-VALUE}).")
    private IoConfig.Writes ioWrites;

    @Option(names = "--games", split = ",", paramLabel = "NAME", description = "Games to host, by name " +
        "(default: every game on the class path; built in: arena, tag).")
    private List<String> games = new ArrayList<>();

    @Option(names = "--room", paramLabel = "TYPE:NAME", description = "A room opened at start and kept while " +
        "the server runs; repeatable (default: arena:demo when the arena is hosted, none with --redis; --room none " +
        "for no room).")
    private List<String> rooms = new ArrayList<>();

    @Option(names = "--game-option", paramLabel = "GAME.KEY=VALUE", description = "An option of one game, e.g. " +
        "arena.npcs=200; repeatable. Arena: worldSize, npcs, npcSpeed, npcTurnChance, playerSpeed.")
    private Map<String, String> gameOptions = new LinkedHashMap<>();

    @Option(names = "--max-rooms", defaultValue = "10000", description = "Rooms open at once on the server, of " +
        "every type; each game also caps its own (default: ${DEFAULT-VALUE}).")
    private int maxRooms;

    @Option(names = "--max-rooms-per-shard", defaultValue = "1000", description = "(default: ${DEFAULT-VALUE}).")
    private int maxRoomsPerShard;

    @Option(names = "--ring-size", defaultValue = "65536", description = "Events in each shard's input ring, a " +
        "power of two (default: ${DEFAULT-VALUE}).")
    private int ringCapacity;

    @Option(names = "--max-catch-up-ticks", defaultValue = "5", description = "Ticks run back to back after a " +
        "stall before the rest are skipped and counted (default: ${DEFAULT-VALUE}).")
    private int maxCatchUpTicks;

    @Option(names = "--max-inputs-per-tick", defaultValue = "4", description = "Inputs applied per client per " +
        "tick (default: ${DEFAULT-VALUE}).")
    private int maxInputsPerTick;

    @Option(names = "--pending-inputs", defaultValue = "16", description = "Inputs a client may have waiting, a " +
        "power of two (default: ${DEFAULT-VALUE}).")
    private int pendingInputCapacity;

    @Option(names = "--history-window", description = "How old, in ticks, an acknowledged snapshot may be and " +
        "still serve as a delta baseline (default: one second of ticks).")
    private Integer historyWindowTicks;

    @Option(names = "--view-radius", defaultValue = "100", description = "Interest management: clients see what " +
        "is within this many units of their avatar; 0 = everything (default: ${DEFAULT-VALUE}).")
    private double viewRadius;

    @Option(names = "--view-hysteresis", defaultValue = "10", description = "Units beyond the view radius an " +
        "entity already in view may go before it leaves the view (default: ${DEFAULT-VALUE}).")
    private double viewHysteresis;

    @Option(names = "--max-view-entities", defaultValue = "128", description = "Most entities in one client's " +
        "view, nearest first (default: ${DEFAULT-VALUE}).")
    private int maxEntitiesPerSnapshot;

    @Option(names = "--checksums", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Snapshots carry a checksum of the client's view (default: on; --no-checksums to save 4 " +
        "bytes per snapshot).")
    private boolean checksums;

    @Option(names = "--idle-timeout", defaultValue = "30s", converter = DurationConverter.class,
        description = "Close connections silent this long (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--write-buffer-high", defaultValue = "65536", description = "Queued bytes above which a " +
        "client misses snapshots until it drains (default: ${DEFAULT-VALUE}).")
    private int writeBufferHighBytes;

    @Option(names = "--not-reading-timeout", defaultValue = "10s", converter = DurationConverter.class,
        description = "Close with 4006 a connection whose outbound buffer stays full this long (default: " +
        "${DEFAULT-VALUE}).")
    private Duration notReadingTimeout;

    @Option(names = "--tcp-notsent-lowat", defaultValue = "16384", description = "With the epoll or io_uring " +
        "transport, unsent bytes the kernel queues per connection (TCP_NOTSENT_LOWAT); 0 = the kernel's own " +
        "limit (default: ${DEFAULT-VALUE}).")
    private int tcpNotSentLowatBytes;

    @Option(names = "--max-messages-per-second", description = "Messages a connection may send per second " +
        "sustained, every WebSocket frame counted, with bursts of 10 seconds' worth; more close it with 1008 " +
        "(default: 2 x tick rate + the largest sum of a game's client message rates + 30).")
    private Integer maxMessagesPerSecond;

    @Option(names = "--max-unacked-messages", defaultValue = "256", description = "Room messages and presence " +
        "events a client may leave unacknowledged; one more closes it with 4002 (default: ${DEFAULT-VALUE}).")
    private int maxUnackedMessages;

    @Option(names = "--resume-grace", defaultValue = "10s", converter = DurationConverter.class,
        description = "How long a player whose connection dropped keeps its seat for a resume; 0s turns resume " +
            "off (default: ${DEFAULT-VALUE}).")
    private Duration resumeGrace;

    @Option(names = "--max-faulted-ticks", description = "Ticks in a row a room's game may fail before the room " +
        "is closed (NOTICE 11, close 1011) (default: one second of ticks).")
    private Integer maxFaultedTicks;

    @Option(names = "--token-secret-file", paramLabel = "PATH", description = "File holding the HMAC secret " +
        "(at least 32 bytes) that signs client tokens (HS256 JWT); or set " + TOKEN_SECRET_ENV + ". Without " +
        "either, clients connect without a token (development only).")
    private Path tokenSecretFile;

    @Option(names = "--token-audience", description = "The aud a token must name (default: not checked).")
    private String tokenAudience;

    @Option(names = "--token-issuer", description = "The iss a token must carry (default: not checked).")
    private String tokenIssuer;

    @Option(names = "--token-leeway", defaultValue = "30s", converter = DurationConverter.class,
        description = "Clock skew allowed on a token's exp, nbf and iat (default: ${DEFAULT-VALUE}).")
    private Duration tokenLeeway;

    @Option(names = "--allowed-origin", split = ",", paramLabel = "ORIGIN", description = "Origin (e.g. " +
        "https://game.example.com) whose pages may open a socket; repeatable. When set, a browser upgrade from " +
        "any other origin gets 403; requests without Origin pass (default: any origin).")
    private List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--max-connections", defaultValue = "10000", description = "TCP connections open at once; " +
        "more are answered 503 and closed (default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Option(names = "--max-connections-per-ip", defaultValue = "64", description = "TCP connections open at " +
        "once from one IP address; more are answered 429 and closed (default: ${DEFAULT-VALUE}).")
    private int maxConnectionsPerAddress;

    @Option(names = "--handshake-timeout", defaultValue = "5s", converter = DurationConverter.class,
        description = "From TCP accept to a completed WebSocket handshake; slower connections (plain HTTP " +
        "ones too) are closed (default: ${DEFAULT-VALUE}).")
    private Duration handshakeTimeout;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain (PEM): serve wss and https " +
        "on the same port; needs --tls-key.")
    private Path tlsCertificateFile;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key (PEM, PKCS#8) of --tls-cert.")
    private Path tlsKeyFile;

    @Option(names = "--tls-self-signed", description = "Serve wss with a self-signed certificate for localhost " +
        "made at start (development only).")
    private boolean tlsSelfSigned;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every room's generator, mixed with the " +
        "room's name (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--drain-timeout", defaultValue = "10s", converter = DurationConverter.class,
        description = "On SIGTERM or Ctrl-C: how long the drain may take (tell clients, dispose games, close); " +
        "what is still open then is cut off (default: ${DEFAULT-VALUE}).")
    private Duration drainTimeout;

    @Option(names = "--drain-reconnect-delay", defaultValue = "1s", converter = DurationConverter.class,
        description = "The delay a draining server tells its clients to wait before reconnecting, in NOTICE 12 " +
        "(default: ${DEFAULT-VALUE}).")
    private Duration drainReconnectDelay;

    @Option(names = "--demo-bots", paramLabel = "N", description = "Built-in bots that play over loopback so the " +
        "demo page at / shows a living world: half in the arena room demo, half in the tag room tag-demo; they " +
        "answer chat that mentions them (@bot-07). They count against --max-connections-per-ip, at most half of " +
        "it; 0 for none (default: " + DEFAULT_DEMO_BOTS + "; 0 with --redis, where joins need reservations).")
    private Integer demoBots;

    @Option(names = "--inspect-rooms", description = "Serve GET /rooms/<name>: each player of a room with its " +
        "avatar's field values, positions included (for operators and tests; a wallhack in public; default: off).")
    private boolean inspectRooms;

    @Option(names = "--journal-dir", paramLabel = "DIR", description = "Record every room's input journal for " +
        "deterministic replay (ReplayMain): DIR/<room>/<tick>.twj beside the checkpoint it starts from, " +
        "DIR/<room>/<tick>.twc; rooms of games without checkpoints are not recorded (default: off).")
    private Path journalDir;

    @Option(names = "--journal-rotate", defaultValue = "60s", converter = DurationConverter.class,
        description = "How old a journal file is when a checkpoint starts the room's next one " +
            "(default: ${DEFAULT-VALUE}).")
    private Duration journalRotate;

    @Option(names = "--redis", paramLabel = "URI", description = "Join a cluster whose directory is this Redis, " +
        "redis://host:port[/db]: rooms are listed cluster-wide, players come through POST /matchmake with seat " +
        "reservations, rooms checkpoint and move to a live node when theirs dies (default: none, a single node).")
    private String redisUri;

    @Option(names = "--redis-prefix", defaultValue = "tw:", description = "Prefix of every Redis key of the " +
        "cluster (default: ${DEFAULT-VALUE}).")
    private String redisPrefix;

    @Option(names = "--public-url", paramLabel = "URL", description = "The WebSocket URL the matchmaker hands " +
        "out for this node (default: ws://<--host, or 127.0.0.1 for a wildcard>:<port>/ws).")
    private String publicUrl;

    @Option(names = "--cluster-secret-file", paramLabel = "PATH", description = "File holding the HMAC secret " +
        "(at least 32 bytes) every node of the cluster signs seat reservations with; or set " + CLUSTER_SECRET_ENV +
        " (default: the token secret; with --redis one of them is required).")
    private Path clusterSecretFile;

    @Option(names = "--checkpoint-interval", defaultValue = "1s", converter = DurationConverter.class,
        description = "With --redis: how often each room writes a checkpoint of its game state, at most what a " +
            "node failure loses; 0s for none (rooms are then not re-homed) (default: ${DEFAULT-VALUE}).")
    private Duration checkpointInterval;

    @Option(names = "--max-matchmakes-per-second-per-ip", defaultValue = "20",
        description = "With --redis: POST /matchmake requests one IP address may make per second, sustained, in " +
            "bursts of 3 seconds' worth; more are refused 429 (each holds a seat until its reservation expires); " +
            "0 for no limit, for load tests from one machine (default: ${DEFAULT-VALUE}).")
    private int maxMatchmakesPerSecondPerIp;

    @Option(names = "--reservation-ttl", defaultValue = "10s", converter = DurationConverter.class,
        description = "With --redis: how long a seat reservation from the matchmaker stays valid unused " +
            "(default: ${DEFAULT-VALUE}).")
    private Duration reservationTtl;

    @Option(names = "--rehome-grace", defaultValue = "15s", converter = DurationConverter.class,
        description = "With --redis: how long a seat of a room restored from a checkpoint waits for its player " +
            "(default: ${DEFAULT-VALUE}).")
    private Duration rehomeGrace;

    @Option(names = "--run-for", converter = DurationConverter.class, description = "Stop after this long, e.g. " +
        "60s (default: run until interrupted).")
    private Duration runFor;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ServerMain()).execute(args));
    }

    public Integer call() throws Exception
    {
        ServerConfig config;
        final GameCatalog catalog;
        try
        {
            catalog = GameCatalog.load(ServerMain.class.getClassLoader(), games, this::settingsOf);
            config = config(catalog);
            if (rooms.isEmpty() && redisUri == null && catalog.get(DEFAULT_ROOM_TYPE) != null)
            {
                config = config.withPinnedRooms(List.of(DEFAULT_ROOM_TYPE + ":" + DEFAULT_ROOM_NAME));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }

        final ClusterConfig clusterConfig;
        try
        {
            clusterConfig = clusterConfig();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }
        final int demoBots = this.demoBots != null ? this.demoBots : clusterConfig == null ? DEFAULT_DEMO_BOTS : 0;
        if (clusterConfig != null && demoBots > 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--demo-bots needs a single node: with " +
                "--redis every player joins with a seat reservation from POST /matchmake");
        }
        if (demoBots < 0 || demoBots > config.access().maxConnectionsPerAddress() / 2 ||
            demoBots > config.access().maxConnections() / 2)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "--demo-bots must be 0.." +
                Math.min(config.access().maxConnectionsPerAddress(), config.access().maxConnections()) / 2 +
                ": the bots connect from the loopback address and may take at most half of " +
                "--max-connections-per-ip and of --max-connections");
        }
        if (drainTimeout.isNegative() || drainReconnectDelay.isNegative() ||
            drainReconnectDelay.toMillis() > Integer.MAX_VALUE)
        {
            throw new CommandLine.ParameterException(
                spec.commandLine(), "--drain-timeout and --drain-reconnect-delay must be 0 or more");
        }
        final TickwireServer server = TickwireServer.start(config, catalog, clusterConfig);
        if (journalWriter != null)
        {
            server.bindJournal(journalWriter);
        }
        final DemoBots bots = DemoBots.start(server, demoBots, catalog);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread shutdownHook = new Thread(() -> drainAndHalt(server, bots, stopped), "tickwire-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        if (runFor != null)
        {
            if (!stopped.await(runFor.toMillis(), TimeUnit.MILLISECONDS))
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
                bots.close();
                server.drain(drainTimeout, (int)drainReconnectDelay.toMillis());
                closeJournal();
            }
            return 0;
        }
        stopped.await();
        return 0;
    }

    /**
     * The shutdown hook (SIGTERM, Ctrl-C): stops the demo bots (they leave first, so the drain waits on real clients
     * only), drains the server, then ends the process with status 0. A JVM that a signal shuts down exits with 128 +
     * the signal's number (143 for SIGTERM) whatever its hooks do, unless one halts it; a drained server has stopped
     * as asked, and a supervisor must not take that for a crash.
     */
    private void drainAndHalt(final TickwireServer server, final DemoBots bots, final CountDownLatch stopped)
    {
        bots.close();
        server.drain(drainTimeout, (int)drainReconnectDelay.toMillis());
        closeJournal();
        stopped.countDown();
        Runtime.getRuntime().halt(0);
    }

    /**
     * With {@code --journal-dir}: starts the journal writer and has the shards record into it; the writer is also
     * their checkpoint sink (a file starts at a checkpoint), next to any sink already set.
     */
    private ShardConfig withJournal(final ShardConfig shardConfig, final GameCatalog catalog)
    {
        if (journalDir == null)
        {
            return shardConfig;
        }
        if (journalRotate.toNanos() < shardConfig.tickPeriodNs())
        {
            throw new IllegalArgumentException("--journal-rotate must be one tick or more");
        }
        try
        {
            journalWriter = JournalWriterAgent.start(journalDir, journalRotate, catalog,
                this::gameOptionsOf, shardConfig,
                error -> LoggerFactory.getLogger(JournalWriterAgent.class).warn("journal: {}", error.toString()));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot use --journal-dir " + journalDir + ": " + ex.getMessage(), ex);
        }
        final ShardConfig journaled = shardConfig.withJournals(journalWriter);
        return shardConfig.checkpointSink() != null ?
            journaled.withCheckpoints(shardConfig.checkpointIntervalTicks(), shardConfig.rehomeGraceTicks(),
                journalWriter.alongside(shardConfig.checkpointSink())) :
            journaled.withCheckpoints((int)Math.min(Integer.MAX_VALUE, journalWriter.rotateTicks()),
                shardConfig.rehomeGraceTicks(), journalWriter);
    }

    /**
     * Ends every journal file still open (after the drain disposed the rooms).
     */
    private void closeJournal()
    {
        if (journalWriter != null)
        {
            journalWriter.close();
        }
    }

    private ServerConfig config(final GameCatalog catalog)
    {
        final ShardConfig shardConfig = withJournal(new ShardConfig(
            tickRateHz, maxCatchUpTicks, ringCapacity, maxRoomsPerShard, maxInputsPerTick, pendingInputCapacity,
            historyWindowTicks == null ? tickRateHz : historyWindowTicks, viewRadius, viewHysteresis,
            maxEntitiesPerSnapshot, checksums, maxUnackedMessages, seed, maxFaultedTicks == null ? tickRateHz :
            maxFaultedTicks, resumeGrace.toNanos()), catalog);
        final List<String> pinnedRooms = new ArrayList<>();
        for (final String room : rooms)
        {
            if (!"none".equals(room))
            {
                pinnedRooms.add(room);
            }
        }
        return new ServerConfig(
            host, port, ioThreads, shards, pinnedRooms, maxRooms, (int)Math.max(1, idleTimeout.toSeconds()),
            Math.max(1, writeBufferHighBytes / 2), writeBufferHighBytes,
            maxMessagesPerSecond != null ? maxMessagesPerSecond :
                ServerConfig.defaultMaxMessagesPerSecond(tickRateHz, catalog),
            shardConfig, tcpNotSentLowatBytes, Math.max(1, notReadingTimeout.toMillis()), access(), inspectRooms,
            new IoConfig(transport, ioPacing, ioWrites));
    }

    /**
     * Reads {@code --transport} names as they are written: auto, epoll, io_uring, nio.
     */
    static final class TransportConverter implements CommandLine.ITypeConverter<IoConfig.Transport>
    {
        public IoConfig.Transport convert(final String value)
        {
            return IoConfig.Transport.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Reads {@code --io-writes} names: auto, batched, direct.
     */
    static final class WritesConverter implements CommandLine.ITypeConverter<IoConfig.Writes>
    {
        public IoConfig.Writes convert(final String value)
        {
            return IoConfig.Writes.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Reads {@code --io-pacing} names: tick, input.
     */
    static final class PacingConverter implements CommandLine.ITypeConverter<IoConfig.Pacing>
    {
        public IoConfig.Pacing convert(final String value)
        {
            return IoConfig.Pacing.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * @return the cluster settings with {@code --redis}, else null (a single node: nothing of the cluster loads).
     * @throws IllegalArgumentException when a cluster setting is wrong or no cluster secret is to be found.
     */
    private ClusterConfig clusterConfig()
    {
        if (redisUri == null)
        {
            return null;
        }
        if (port == 0)
        {
            throw new IllegalArgumentException("--redis needs a fixed --port: the node's id and URL name it");
        }
        final String secret = clusterSecret();
        if (secret == null)
        {
            throw new IllegalArgumentException("--redis needs the cluster secret every node shares, which signs " +
                "seat reservations: --cluster-secret-file, " + CLUSTER_SECRET_ENV + ", or a token secret " +
                "(--token-secret-file, " + TOKEN_SECRET_ENV + ")");
        }
        final String advertisedHost = isWildcard(host) ? "127.0.0.1" : host;
        final String url = publicUrl != null ? publicUrl : "ws://" + advertisedHost + ":" + port +
            ServerInitializer.WEBSOCKET_PATH;
        if (checkpointInterval.isNegative() || rehomeGrace.isNegative() || reservationTtl.isNegative() ||
            reservationTtl.isZero())
        {
            throw new IllegalArgumentException("--checkpoint-interval and --rehome-grace must be 0 or more, " +
                "--reservation-ttl more than 0");
        }
        return ClusterConfig.builder(redisUri, advertisedHost + ":" + port, url,
                secret.getBytes(StandardCharsets.UTF_8))
            .prefix(redisPrefix)
            .checkpointInterval(checkpointInterval)
            .reservationTtl(reservationTtl)
            .matchmakesPerAddressPerSecond(maxMatchmakesPerSecondPerIp)
            .rehomeGrace(rehomeGrace)
            .build();
    }

    private static boolean isWildcard(final String bindHost)
    {
        return "0.0.0.0".equals(bindHost) || "::".equals(bindHost) || "[::]".equals(bindHost);
    }

    /**
     * @return the cluster secret from {@code --cluster-secret-file} (trailing line breaks dropped), else from the
     * environment, else the token secret, else null.
     */
    private String clusterSecret()
    {
        if (clusterSecretFile != null)
        {
            return readSecret(clusterSecretFile, "cluster");
        }
        final String fromEnvironment = System.getenv(CLUSTER_SECRET_ENV);
        return fromEnvironment == null || fromEnvironment.isEmpty() ? tokenSecret() : fromEnvironment;
    }

    private static String readSecret(final Path file, final String what)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read the " + what + " secret file " + file, ex);
        }
    }

    private AccessConfig access()
    {
        final String secret = tokenSecret();
        final TokenPolicy tokens =
            secret == null ? null : new TokenPolicy(secret, tokenAudience, tokenIssuer, tokenLeeway.toSeconds());
        final boolean tls = tlsSelfSigned || tlsCertificateFile != null || tlsKeyFile != null;
        return new AccessConfig(
            tokens, allowedOrigins, maxConnections, maxConnectionsPerAddress, handshakeTimeout.toMillis(),
            tls ? new TlsSettings(tlsCertificateFile, tlsKeyFile, tlsSelfSigned) : null);
    }

    /**
     * @return the token secret from {@code --token-secret-file} (trailing line breaks dropped), else from the
     * environment, else null.
     */
    private String tokenSecret()
    {
        if (tokenSecretFile != null)
        {
            return readSecret(tokenSecretFile, "token");
        }
        final String fromEnvironment = System.getenv(TOKEN_SECRET_ENV);
        return fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
    }

    /**
     * @return the settings of game {@code name}: the server's tick rate and seed, and the {@code --game-option}s
     * given as {@code name.key=value}, keyed without the prefix.
     */
    private GameSettings settingsOf(final String name)
    {
        return new GameSettings(tickRateHz, seed, gameOptionsOf(name));
    }

    /**
     * @return the {@code --game-option}s of game {@code name}, keyed without the prefix.
     */
    private Map<String, String> gameOptionsOf(final String name)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (final Map.Entry<String, String> option : gameOptions.entrySet())
        {
            final int dot = option.getKey().indexOf('.');
            if (dot < 1)
            {
                throw new IllegalArgumentException("a game option is GAME.KEY=VALUE: " + option.getKey());
            }
            if (option.getKey().substring(0, dot).equals(name))
            {
                options.put(option.getKey().substring(dot + 1), option.getValue());
            }
        }
        return options;
    }
}
