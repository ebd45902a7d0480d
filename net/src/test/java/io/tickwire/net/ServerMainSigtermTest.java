package io.tickwire.net;

import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@code main} in a child JVM, on an ephemeral port, with a joined client: SIGTERM (what
 * {@link Process#destroy()} sends on Linux) drains it, the client gets NOTICE 12 and close 1001, and the process
 * exits with status 0 within the drain timeout.
 */
@EnabledOnOs(OS.LINUX)
class ServerMainSigtermTest
{
    private static final Pattern LISTENING = Pattern.compile("listening on (ws://127\\.0\\.0\\.1:\\d+/ws)");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sigtermDrainsTheServerAndExitsZeroWithinTheDrainTimeout() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process server = new ProcessBuilder(List.of(
            java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
            "--port", "0", "--shards", "1", "--io-threads", "1", "--games", "arena",
            "--game-option", "arena.npcs=10", "--demo-bots", "0", "--drain-timeout", DRAIN_TIMEOUT.toSeconds() + "s",
            "--drain-reconnect-delay", "3s"))
            .redirectErrorStream(true)
            .start();
        try
        {
            final CompletableFuture<URI> url = new CompletableFuture<>();
            final Thread reader = new Thread(() -> readOutput(server, url), "server-output");
            reader.setDaemon(true);
            reader.start();

            try (RawClient client = RawClient.connect(url.get(WAIT.toSeconds(), TimeUnit.SECONDS)))
            {
                client.join("arena", "demo", "p1");
                assertInstanceOf(Welcome.class, client.next(WAIT));

                final long sigtermNs = System.nanoTime();
                server.destroy();

                final Notice notice = assertInstanceOf(Notice.class, client.next(WAIT));
                assertEquals(Notice.CODE_SERVER_DRAINING, notice.code());
                assertEquals(3000, notice.detail());
                assertEquals(CloseCodes.GOING_AWAY,
                    assertInstanceOf(RawClient.Closed.class, client.next(WAIT)).statusCode());
                assertTrue(server.waitFor(DRAIN_TIMEOUT.toSeconds() + 2, TimeUnit.SECONDS), "exited in time");
                assertEquals(0, server.exitValue());
                assertTrue(System.nanoTime() - sigtermNs < DRAIN_TIMEOUT.toNanos());
            }
        }
        finally
        {
            server.destroyForcibly();
        }
    }

    /**
     * Echoes the child's output (so it never blocks on a full pipe) and completes {@code url} with the address it
     * listens on.
     */
    private static void readOutput(final Process server, final CompletableFuture<URI> url)
    {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line = lines.readLine(); line != null; line = lines.readLine())
            {
                System.out.println("[server] " + line);
                final Matcher listening = LISTENING.matcher(line);
                if (listening.find())
                {
                    url.complete(URI.create(listening.group(1)));
                }
            }
        }
        catch (final Exception ex)
        {
            url.completeExceptionally(ex);
        }
    }
}
