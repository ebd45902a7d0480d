package io.tickwire.bots;

import io.tickwire.codec.Durations;
import io.tickwire.codec.WireFormat;
import io.tickwire.io.HugePages;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Command line entry point: runs a swarm, prints a progress line every second and a report at the end to standard
 * output, and the same report as JSON to a file when asked. Exits with 0 when every bot joined, no more errors were
 * counted than allowed and every threshold held; 1 otherwise; 2 on bad arguments.
 * <pre>
 *   java -jar bots/target/tickwire-bots.jar --url ws://127.0.0.1:7777/ws --bots 10000 --bots-per-room 100 \
 *       --ramp 500 --duration 60s --churn 0.01 --json run.json --max-p99-latency-ms 80 --min-snapshot-rate 29
 * </pre>
 */
@Command(
    name = "tickwire-bots",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    version = "tickwire-bots, protocol " + WireFormat.SUBPROTOCOL,
    description = "Runs a swarm of bots that speak the Tickwire protocol against one server, verifies every "
        + "snapshot they receive, and reports rates, latency, round trips, jitter, churn and errors.")
public final class BotsMain implements Callable<Integer>
{
    /** The environment variable that may hold the token secret, as for the server. */
    static final String TOKEN_SECRET_ENV = "TICKWIRE_TOKEN_SECRET";
    /** How long a bot's token is valid; a token is minted at each connect, so this only needs to cover one. */
    static final long TOKEN_TTL_SECONDS = 300;

    private static final String LOGBACK_CONFIGURATION_PROPERTY = "logback.configurationFile";
    private static final String LOGBACK_CONFIGURATION = "tickwire-bots-logback.xml";

    @Option(names = "--url", defaultValue = SwarmConfig.DEFAULT_URL, paramLabel = "URL",
        description = "WebSocket URL of the server, the only address bots connect to (default: ${DEFAULT-VALUE}).")
    private URI url;

    @Option(names = "--matchmaker", paramLabel = "URL", split = ",", description = "HTTP base URL of a cluster's "
        + "matchmaker, e.g. http://127.0.0.1:7777: every connect first asks POST <URL>/matchmake for a seat and "
        + "connects to the node it names with the reservation; a bot that loses its node re-homes through it (--url "
        + "is then not used). Repeatable or comma-separated: bot i asks the (i mod n)th, the next when one is down.")
    private List<URI> matchmakers = List.of();

    @Option(names = "--matchmaker-any", description = "Through the matchmaker, join any open room of the type "
        + "instead of the room <prefix><i %% rooms>.")
    private boolean matchmakerAny;

    @Option(names = "--bots", defaultValue = "" + SwarmConfig.DEFAULT_BOTS, paramLabel = "N",
        description = "Number of bots, one connection each (default: ${DEFAULT-VALUE}).")
    private int bots;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private RoomCount roomCount;

    @Option(names = "--game", defaultValue = "arena", paramLabel = "arena|tag", converter = GameConverter.class,
        description = "Game the bots play, and the room type they join: arena moves; tag moves, aims, fires and "
            + "chats, timing each chat's delivery back (default: ${DEFAULT-VALUE}).")
    private GameKind game;

    @Option(names = "--room-type", paramLabel = "NAME", description = "Room type to join, when it is not the " +
        "game's own: bots fill any game's inputs by field name, so a game with moveX and moveY inputs is walked " +
        "(default: the game's name).")
    private String roomType;

    @Option(names = "--room-prefix", paramLabel = "PREFIX",
        description = "Prefix of the room names (default: the game's name and a dash, e.g. arena-).")
    private String roomPrefix;

    @Option(names = "--duration", defaultValue = SwarmConfig.DEFAULT_DURATION, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Length of the run, ramp included, e.g. 500ms, 20s, 2m (default: ${DEFAULT-VALUE}).")
    private long durationNs;

    @Option(names = "--threads", defaultValue = "" + SwarmConfig.DEFAULT_THREADS, paramLabel = "N",
        description = "Event loop threads the bots share; 0 for one per core this process may run on, as taskset " +
            "allows: pinned to one core, one loop (default: 0).")
    private int threads;

    @Option(names = "--transport", defaultValue = "auto", paramLabel = "auto|epoll|io_uring|nio",
        converter = TransportConverter.class,
        description = "Socket transport of the bots' event loops; auto is epoll where available, else nio " +
            "(default: ${DEFAULT-VALUE}).")
    private BotTransport transport;

    @Option(names = "--io-writes", defaultValue = "auto", paramLabel = "auto|batched|direct",
        converter = WritesConverter.class,
        description = "How the event loops write the bots' frames: batched = all of a cycle's in one io_uring " +
            "submission (epoll only), direct = a write(2) per bot; auto batches where the transport and the system " +
            "allow it (default: ${DEFAULT-VALUE}).")
    private BotWrites writes;

    @Option(names = "--ramp", defaultValue = "" + SwarmConfig.DEFAULT_RAMP_PER_SECOND, paramLabel = "PER_SECOND",
        description = "Connections started per second at the start of the run (default: ${DEFAULT-VALUE}).")
    private int rampPerSecond;

    @Option(names = "--behaviour", defaultValue = "random-walk", paramLabel = "random-walk|chase|idle",
        converter = BehaviourConverter.class,
        description = "How bots move: random-walk turns with probability 0.02 per input, chase steers toward the "
            + "nearest other entity in view, idle sends zero movement (default: ${DEFAULT-VALUE}).")
    private Behaviour behaviour;

    @Option(names = "--input-rate", defaultValue = "" + SwarmConfig.INPUT_RATE_FROM_WELCOME, paramLabel = "HZ",
        description = "Inputs per second per bot; 0 uses the tick rate the server announces (default: 0).")
    private int inputRateHz;

    @Option(names = "--churn", defaultValue = "0", paramLabel = "F",
        description = "Fraction of the bots, picked at random, that leave and close their connection (1000) each "
            + "second and come back to the same room after an exponential backoff with jitter; churn stops 2 s "
            + "before the end (default: ${DEFAULT-VALUE}).")
    private double churnPerSecond;

    @Option(names = "--inputs-from-welcome", description = "Each bot starts its input clock at its WELCOME, as a "
        + "naive client does, instead of at its own phase of the period (spread evenly over the swarm). A tick-paced "
        + "server answers every JOIN at the same point of its tick, so all inputs then arrive at one point of it.")
    private boolean inputsFromWelcome;

    @Option(names = "--send-buffer", defaultValue = "0", paramLabel = "BYTES",
        description = "The send buffer of each bot's socket (SO_SNDBUF), 0 for the kernel's own, which grows with "
            + "the connection. A small one makes the bots' writes come back short or refused whenever the server "
            + "reads slowly, as on a slow link (default: ${DEFAULT-VALUE}).")
    private int sendBufferBytes;

    @Option(names = "--resume", description = "Churned bots drop their socket abruptly instead, as a network loss "
        + "does, and come back with their resume token: the same seat, every stream message exactly once and in "
        + "order, their unconfirmed messages sent again (the server's --resume-grace must be on).")
    private boolean resume;

    @Option(names = "--reconnect", description = "A bot whose connection ends without its asking (an error, still "
        + "counted, or a draining server) comes back after a backoff, as after a churn drop (default: off; churn "
        + "alone brings back only the bots it drops and those a draining server closes).")
    private boolean reconnect;

    @Option(names = "--answer-chat", description = "A bot answers a chat line that mentions it (@bot-07) once, in "
        + "chat, with a line starting @<sender's name>, at most once a second (default: off).")
    private boolean answerChat;

    @Option(names = "--seed", defaultValue = "" + SwarmConfig.DEFAULT_SEED, paramLabel = "SEED",
        description = "Seed of the bots' movement, churn picks and backoff jitter (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--ping-interval", defaultValue = SwarmConfig.DEFAULT_PING_INTERVAL, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Time between one bot's pings, whose pongs give the round trip; 0s for none "
            + "(default: ${DEFAULT-VALUE}).")
    private long pingIntervalNs;

    @Option(names = "--warmup", defaultValue = SwarmConfig.DEFAULT_WARMUP, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Time from the start during which latency, round-trip and jitter samples are ignored "
            + "(default: ${DEFAULT-VALUE}).")
    private long warmupNs;

    @Option(names = "--json", paramLabel = "FILE",
        description = "Also write the report as JSON to this file.")
    private Path jsonFile;

    @Option(names = "--max-p99-latency-ms", paramLabel = "MS",
        description = "Fail unless the 99th percentile of input-to-applied latency is at most this.")
    private Double maxP99LatencyMs;

    @Option(names = "--max-errors", defaultValue = "0", paramLabel = "N",
        description = "Fail when more errors than this are counted (default: ${DEFAULT-VALUE}).")
    private long maxErrors;

    @Option(names = "--min-snapshot-rate", paramLabel = "PER_SECOND",
        description = "Fail unless every bot that joined received at least this many snapshots per second.")
    private Double minSnapshotsPerSecond;

    @Option(names = "--max-p99-rtt-ms", paramLabel = "MS",
        description = "Fail unless the 99th percentile of the ping round trip is at most this.")
    private Double maxP99RttMs;

    @Option(names = "--max-presence-mismatches", defaultValue = "0", paramLabel = "N",
        description = "Fail when more rooms than this end the run with bots that disagree on who is in the room "
            + "(default: ${DEFAULT-VALUE}).")
    private long maxPresenceMismatches;

    @Option(names = "--connect-timeout", defaultValue = SwarmConfig.DEFAULT_CONNECT_TIMEOUT, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Bound on the TCP connect, on the WebSocket handshake and on the wait for the welcome "
            + "(default: ${DEFAULT-VALUE}).")
    private long connectTimeoutNs;

    @Option(names = "--close-timeout", defaultValue = SwarmConfig.DEFAULT_CLOSE_TIMEOUT, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "How long a bot may take to close before it is cut off (default: ${DEFAULT-VALUE}).")
    private long closeTimeoutNs;

    @Option(names = "--token-secret-file", paramLabel = "PATH", description = "File holding the server's token " +
        "secret; or set " + TOKEN_SECRET_ENV + ". Each bot then presents its own token (subject bot-<i>), " +
        "minted at each connect (default: no token).")
    private Path tokenSecretFile;

    @Option(names = "--token-audience", description = "The aud the bots' tokens name (default: none).")
    private String tokenAudience;

    @Option(names = "--token-issuer", description = "The iss the bots' tokens carry (default: none).")
    private String tokenIssuer;

    @Option(names = "--insecure-trust-any-certificate", description = "Over wss, accept any server certificate, " +
        "such as a self-signed development one (default: the JDK's trusted authorities).")
    private boolean trustAnyCertificate;

    @Spec
    private CommandSpec spec;

    /**
     * How the bots are spread over rooms: by the number of rooms or by the number of bots in each.
     */
    static final class RoomCount
    {
        @Option(names = "--rooms", required = true, paramLabel = "N",
            description = "Number of rooms; bot i joins room <prefix><i %% rooms> (default: "
                + SwarmConfig.DEFAULT_ROOMS + ").")
        private Integer rooms;

        @Option(names = "--bots-per-room", required = true, paramLabel = "N",
            description = "Most bots in a room: rooms = ceil(bots / N), bot i joins room <prefix><i %% rooms>.")
        private Integer botsPerRoom;
    }

    public static void main(final String[] args)
    {
        if (System.getProperty(LOGBACK_CONFIGURATION_PROPERTY) == null)
        {
            System.setProperty(LOGBACK_CONFIGURATION_PROPERTY, LOGBACK_CONFIGURATION);
        }
        System.exit(new CommandLine(new BotsMain()).execute(args));
    }

    public Integer call() throws InterruptedException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final SwarmConfig config;
        final SwarmResult result;
        try
        {
            config = config();
            out.printf(Locale.ROOT, "tickwire-bots: %d bots in %d %s rooms against %s for %.1f s, %s, churn %s/s%n",
                config.bots(), config.rooms(), config.roomType(), config.entryPoint(),
                durationNs / (double)TimeUnit.SECONDS.toNanos(1), config.behaviour().cliName(),
                config.churnPerSecond());
            out.println("tickwire-bots: " + HugePages.adviceForThisProcess().message());
            out.flush();
            result = new Swarm(config).run(progress ->
            {
                out.println(progress.line());
                out.flush();
            });
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage(), ex);
        }

        out.print(result.summary());
        out.flush();
        if (jsonFile != null)
        {
            try
            {
                Files.writeString(jsonFile, result.toJson(), StandardCharsets.UTF_8);
            }
            catch (final IOException ex)
            {
                spec.commandLine().getErr().println("cannot write the JSON report to " + jsonFile + ": " + ex);
                return SwarmResult.EXIT_FAILED;
            }
        }
        return result.exitCode();
    }

    /**
     * @return the configuration the options describe.
     * @throws IllegalArgumentException when an option is out of range.
     */
    SwarmConfig config()
    {
        final int rooms;
        if (roomCount == null)
        {
            rooms = SwarmConfig.DEFAULT_ROOMS;
        }
        else if (roomCount.botsPerRoom != null)
        {
            rooms = SwarmConfig.roomsFor(bots, roomCount.botsPerRoom);
        }
        else
        {
            rooms = roomCount.rooms;
        }
        final SwarmThresholds thresholds = new SwarmThresholds(maxErrors, optional(maxP99LatencyMs),
            optional(minSnapshotsPerSecond), optional(maxP99RttMs), maxPresenceMismatches);
        return SwarmConfig.builder(url)
            .bots(bots)
            .rooms(rooms)
            .roomPrefix(roomPrefix)
            .durationNs(durationNs)
            .threads(threads)
            .transport(transport)
            .writes(writes)
            .rampPerSecond(rampPerSecond)
            .inputRateHz(inputRateHz)
            .seed(seed)
            .connectTimeoutNs(connectTimeoutNs)
            .closeTimeoutNs(closeTimeoutNs)
            .behaviour(behaviour)
            .game(game)
            .roomType(roomType)
            .churnPerSecond(churnPerSecond)
            .resume(resume)
            .pingIntervalNs(pingIntervalNs)
            .inputsFromWelcome(inputsFromWelcome)
            .sendBufferBytes(sendBufferBytes)
            .warmupNs(warmupNs)
            .thresholds(thresholds)
            .tokens(tokens())
            .trustAnyCertificate(trustAnyCertificate)
            .reconnect(reconnect)
            .answerChat(answerChat)
            .matchmakers(matchmakers)
            .matchmakerAny(matchmakerAny)
            .build();
    }

    /**
     * @return the bots' token settings from {@code --token-secret-file} or the environment, or null for none.
     */
    private BotTokens tokens()
    {
        String secret = System.getenv(TOKEN_SECRET_ENV);
        if (tokenSecretFile != null)
        {
            try
            {
                secret = Files.readString(tokenSecretFile, StandardCharsets.UTF_8).stripTrailing();
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("cannot read the token secret file " + tokenSecretFile, ex);
            }
        }
        return secret == null || secret.isEmpty() ? null :
            new BotTokens(secret, tokenAudience, tokenIssuer, TOKEN_TTL_SECONDS);
    }

    private static OptionalDouble optional(final Double value)
    {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * Converts a command line value with a parser that throws {@link IllegalArgumentException} on a bad value.
     */
    abstract static class ParsingConverter<T> implements CommandLine.ITypeConverter<T>
    {
        private final Function<String, T> parser;

        ParsingConverter(final Function<String, T> parser)
        {
            this.parser = parser;
        }

        public T convert(final String value)
        {
            try
            {
                return parser.apply(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }

    /**
     * Converts {@code 500ms}, {@code 20s}, {@code 2m} or {@code 1h} to nanoseconds.
     */
    static final class DurationConverter extends ParsingConverter<Long>
    {
        DurationConverter()
        {
            super(Durations::parseNs);
        }
    }

    /**
     * Converts {@code random-walk}, {@code chase} or {@code idle} to a {@link Behaviour}.
     */
    static final class BehaviourConverter extends ParsingConverter<Behaviour>
    {
        BehaviourConverter()
        {
            super(Behaviour::fromCliName);
        }
    }

    /**
     * Converts {@code auto}, {@code epoll}, {@code io_uring} or {@code nio} to a {@link BotTransport}.
     */
    static final class TransportConverter extends ParsingConverter<BotTransport>
    {
        TransportConverter()
        {
            super(BotTransport::fromCliName);
        }
    }

    /**
     * Converts {@code auto}, {@code batched} or {@code direct} to a {@link BotWrites}.
     */
    static final class WritesConverter extends ParsingConverter<BotWrites>
    {
        WritesConverter()
        {
            super(BotWrites::fromCliName);
        }
    }

    /**
     * Converts {@code arena} or {@code tag} to a {@link GameKind}.
     */
    static final class GameConverter extends ParsingConverter<GameKind>
    {
        GameConverter()
        {
            super(GameKind::fromCliName);
        }
    }
}
