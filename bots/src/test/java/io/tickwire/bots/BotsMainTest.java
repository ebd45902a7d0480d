package io.tickwire.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BotsMainTest
{
    private static final int TICK_RATE_HZ = 20;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsEveryOption()
    {
        assertEquals(0, execute("--help"));

        final String usage = out.toString();
        for (final String option : new String[]{ "--url", "--bots", "--rooms", "--bots-per-room", "--room-prefix",
            "--duration", "--threads", "--ramp", "--behaviour", "--input-rate", "--churn", "--seed", "--ping-interval",
            "--warmup", "--json", "--max-p99-latency-ms", "--max-errors", "--min-snapshot-rate", "--max-p99-rtt-ms",
            "--connect-timeout", "--close-timeout", "--game", "--max-presence-mismatches", "--matchmaker",
            "--matchmaker-any", "--transport", "--send-buffer" })
        {
            assertTrue(usage.contains(option), option);
        }
    }

    @Test
    void badArgumentsAreAUsageError()
    {
        assertEquals(2, execute("--duration", "soon"));
        assertTrue(err.toString().contains("soon"), err.toString());

        assertEquals(2, execute("--bots", "0"));
        assertTrue(err.toString().contains("bots must be in"), err.toString());

        assertEquals(2, execute("--url", "http://127.0.0.1:7777/ws"));
        assertEquals(2, execute("--rooms", "2", "--bots-per-room", "5"));
        assertEquals(2, execute("--behaviour", "dance"));
        assertTrue(err.toString().contains("random-walk|chase|idle"), err.toString());
        assertEquals(2, execute("--game", "chess"));
        assertTrue(err.toString().contains("arena|tag"), err.toString());
        assertEquals(2, execute("--transport", "kqueue"));
        assertTrue(err.toString().contains("auto|epoll|io_uring|nio"), err.toString());
        assertEquals(2, execute("--max-presence-mismatches", "-1"));
        assertEquals(2, execute("--churn", "2"));
        assertEquals(2, execute("--max-errors", "-1"));
        assertEquals(2, execute("--max-p99-latency-ms", "-5"));
        assertEquals(2, execute("--bots-per-room", "0"));
    }

    @Test
    void theMatchmakerOptionsMakeTheConfigurationAndAreChecked()
    {
        final BotsMain main = new BotsMain();
        new CommandLine(main).parseArgs("--matchmaker", "http://127.0.0.1:7801", "--matchmaker-any", "--rooms", "5");

        final SwarmConfig config = main.config();

        assertEquals(URI.create("http://127.0.0.1:7801"), config.matchmaker());
        assertTrue(config.matchmakerAny());
        assertEquals(URI.create("http://127.0.0.1:7801"), config.entryPoint());
        assertEquals(2, execute("--matchmaker-any"));
        assertTrue(err.toString().contains("needs a matchmaker URL"), err.toString());
        assertEquals(2, execute("--matchmaker", "ws://127.0.0.1:7801/ws"));
        assertTrue(err.toString().contains("matchmaker must be http"), err.toString());
    }

    @Test
    void theOptionsMakeTheConfiguration()
    {
        final BotsMain main = new BotsMain();
        new CommandLine(main).parseArgs(
            "--bots", "10", "--bots-per-room", "4", "--behaviour", "chase", "--churn", "0.05", "--ping-interval", "0s",
            "--warmup", "500ms", "--max-p99-latency-ms", "80", "--min-snapshot-rate", "29.5", "--max-errors", "3",
            "--send-buffer", "8192");

        final SwarmConfig config = main.config();
        assertEquals(8192, config.sendBufferBytes());

        assertEquals(10, config.bots());
        assertEquals(3, config.rooms());
        assertEquals(Behaviour.CHASE, config.behaviour());
        assertEquals(0.05, config.churnPerSecond());
        assertEquals(0, config.pingIntervalNs());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), config.warmupNs());
        assertEquals(3, config.thresholds().maxErrors());
        assertEquals(80.0, config.thresholds().maxP99LatencyMs().getAsDouble());
        assertEquals(29.5, config.thresholds().minSnapshotsPerSecond().getAsDouble());
        assertFalse(config.thresholds().maxP99RttMs().isPresent());

        final BotsMain defaults = new BotsMain();
        new CommandLine(defaults).parseArgs("--rooms", "4");
        assertEquals(4, defaults.config().rooms());
        assertEquals(SwarmConfig.builder(defaults.config().url()).rooms(4).build(), defaults.config());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aRunWritesTheJsonReportAndExitsByItsAssertions(@TempDir final Path directory) throws Exception
    {
        try (FakeServer server = new FakeServer(FakeServer.Behaviour.CORRECT, TICK_RATE_HZ))
        {
            final Path json = directory.resolve("run.json");
            final String[] run = { "--url", server.url().toString(), "--bots", "3", "--duration", "1500ms",
                "--warmup", "200ms", "--ping-interval", "100ms", "--json", json.toString() };

            assertEquals(0, execute(run), out.toString());
            assertTrue(out.toString().contains("connected 3  joined 3"), out.toString());
            assertTrue(out.toString().contains("result               PASS"), out.toString());
            final JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertTrue(report.get("passed").asBoolean());
            assertEquals(3, report.at("/bots/joined").asInt());
            assertTrue(report.at("/rttMs/samples").asLong() > 0);

            final String[] strict = { "--url", server.url().toString(), "--bots", "3", "--duration", "1500ms",
                "--min-snapshot-rate", "1000", "--json", json.toString() };
            assertEquals(1, execute(strict), out.toString());
            assertFalse(new ObjectMapper().readTree(json.toFile()).get("passed").asBoolean());
        }
    }

    private int execute(final String... args)
    {
        return new CommandLine(new BotsMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }
}
