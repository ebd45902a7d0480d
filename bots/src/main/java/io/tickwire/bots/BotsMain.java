package io.tickwire.bots;

import io.tickwire.codec.Durations;
import io.tickwire.codec.WireFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Command line entry point: runs a swarm, prints a progress line every second and a summary at the end, to
 * standard output. Exits with 0 when every bot joined and no error was counted, 1 otherwise, 2 on bad arguments.
 * <pre>
 *   java -jar bots/target/tickwire-bots.jar --url ws://127.0.0.1:7777/ws --bots 200 --rooms 4 --duration 20s
 * </pre>
 */
@Command(
    name = "tickwire-bots",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    version = "tickwire-bots, protocol " + WireFormat.SUBPROTOCOL,
    description = "Runs a swarm of bots that speak the Tickwire protocol against one server, verifies every "
        + "snapshot they receive, and reports rates, latency and errors.")
public final class BotsMain implements Callable<Integer>
{
    private static final String LOGBACK_CONFIGURATION_PROPERTY = "logback.configurationFile";
    private static final String LOGBACK_CONFIGURATION = "tickwire-bots-logback.xml";

    @Option(names = "--url", defaultValue = SwarmConfig.DEFAULT_URL, paramLabel = "URL",
        description = "WebSocket URL of the server, the only address bots connect to (default: ${DEFAULT-VALUE}).")
    private URI url;

    @Option(names = "--bots", defaultValue = "" + SwarmConfig.DEFAULT_BOTS, paramLabel = "N",
        description = "Number of bots, one connection each (default: ${DEFAULT-VALUE}).")
    private int bots;

    @Option(names = "--rooms", defaultValue = "" + SwarmConfig.DEFAULT_ROOMS, paramLabel = "N",
        description = "Number of rooms; bot i joins room <prefix><i %% rooms> (default: ${DEFAULT-VALUE}).")
    private int rooms;

    @Option(names = "--room-prefix", defaultValue = SwarmConfig.DEFAULT_ROOM_PREFIX, paramLabel = "PREFIX",
        description = "Prefix of the room names (default: ${DEFAULT-VALUE}).")
    private String roomPrefix;

    @Option(names = "--duration", defaultValue = SwarmConfig.DEFAULT_DURATION, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Length of the run, ramp included, e.g. 500ms, 20s, 2m (default: ${DEFAULT-VALUE}).")
    private long durationNs;

    @Option(names = "--threads", defaultValue = "" + SwarmConfig.DEFAULT_THREADS, paramLabel = "N",
        description = "Event loop threads the bots share (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--ramp", defaultValue = "" + SwarmConfig.DEFAULT_RAMP_PER_SECOND, paramLabel = "PER_SECOND",
        description = "Connections started per second (default: ${DEFAULT-VALUE}).")
    private int rampPerSecond;

    @Option(names = "--input-rate", defaultValue = "" + SwarmConfig.INPUT_RATE_FROM_WELCOME, paramLabel = "HZ",
        description = "Inputs per second per bot; 0 uses the tick rate the server announces (default: 0).")
    private int inputRateHz;

    @Option(names = "--seed", defaultValue = "" + SwarmConfig.DEFAULT_SEED, paramLabel = "SEED",
        description = "Seed of the bots' random walks (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--connect-timeout", defaultValue = SwarmConfig.DEFAULT_CONNECT_TIMEOUT, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "Bound on the TCP connect and on the WebSocket handshake (default: ${DEFAULT-VALUE}).")
    private long connectTimeoutNs;

    @Option(names = "--close-timeout", defaultValue = SwarmConfig.DEFAULT_CLOSE_TIMEOUT, paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "How long bots may take to close at the end before they are cut off (default: ${DEFAULT-VALUE}).")
    private long closeTimeoutNs;

    @Spec
    private CommandSpec spec;

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
        final SwarmResult result;
        try
        {
            final SwarmConfig config = new SwarmConfig(
                url, bots, rooms, roomPrefix, durationNs, threads, rampPerSecond, inputRateHz, seed, connectTimeoutNs,
                closeTimeoutNs);
            out.printf(Locale.ROOT, "tickwire-bots: %d bots in %d rooms against %s for %.1f s%n",
                bots, rooms, url, durationNs / (double)TimeUnit.SECONDS.toNanos(1));
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
        return result.exitCode();
    }

    /**
     * Converts {@code 500ms}, {@code 20s}, {@code 2m} or {@code 1h} to nanoseconds.
     */
    static final class DurationConverter implements CommandLine.ITypeConverter<Long>
    {
        public Long convert(final String value)
        {
            try
            {
                return Durations.parseNs(value);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }
}
