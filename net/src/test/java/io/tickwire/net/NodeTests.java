package io.tickwire.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs one folder of the web module's Node tests ({@code node --test --test-concurrency=1 <dir>} in {@code ../web},
 * from the net module's directory, where Surefire runs) against a live server, and fails the calling JUnit test when
 * they fail, with their output in the message. The tests read the server from {@code TICKWIRE_WS_URL} and
 * {@code TICKWIRE_HTTP_URL}, Chromium from {@code CHROMIUM_PATH} ({@code /usr/bin/chromium}, or the system property
 * {@code tickwire.chromium}), and write screenshots into {@code TICKWIRE_ARTIFACTS} ({@code target/browser-artifacts}).
 * A missing node, Chromium, {@code npm ci} or {@code tsc} build fails (never skips) with the command that fixes it.
 * The run is bounded: on its deadline the whole process tree is killed. Test thread only.
 */
final class NodeTests
{
    static final Path WEB_DIR = Path.of("..", "web").toAbsolutePath().normalize();
    static final Path ARTIFACTS_DIR = Path.of("target", "browser-artifacts").toAbsolutePath();
    private static final String INSTALL_NODE = "apt-get install -y nodejs npm (Node 20 or newer)";
    private static final String INSTALL_CHROMIUM = "apt-get install -y chromium";

    private NodeTests()
    {
    }

    /**
     * @return the Chromium the browser tests drive: {@code -Dtickwire.chromium=PATH}, else {@code /usr/bin/chromium}.
     */
    static Path chromium()
    {
        return Path.of(System.getProperty("tickwire.chromium", "/usr/bin/chromium"));
    }

    /**
     * Fails unless Chromium is installed where {@link #chromium()} says.
     */
    static void requireChromium()
    {
        if (!Files.isExecutable(chromium()))
        {
            fail("the browser tests need Chromium at " + chromium() + " (-Dtickwire.chromium=PATH for another): " +
                INSTALL_CHROMIUM);
        }
    }

    /**
     * Runs {@code web/<testDir>} against {@code live} and fails with the output unless every test passed.
     *
     * @param testDir a folder of {@code .test.mjs} files under {@code web/}, e.g. {@code test/live/}.
     * @param timeout the deadline of the whole run; the process tree is killed past it.
     * @return the run's output (stdout and stderr, interleaved), also copied to this test's log.
     */
    static String run(final String testDir, final LiveServer live, final Duration timeout) throws Exception
    {
        return run(testDir, Map.of("TICKWIRE_WS_URL", live.websocketUrl().toString(),
            "TICKWIRE_HTTP_URL", "http://127.0.0.1:" + live.server().port()), timeout);
    }

    /**
     * Runs the tests of {@code testDir} as {@link #run(String, LiveServer, Duration)} does, with {@code serverEnv}
     * telling them where the server (or cluster) is.
     */
    static String run(final String testDir, final Map<String, String> serverEnv, final Duration timeout)
        throws Exception
    {
        requireNode();
        requireBuilt();
        Files.createDirectories(ARTIFACTS_DIR);
        final ProcessBuilder builder = new ProcessBuilder(
            List.of("node", "--test", "--test-concurrency=1", testDir))
            .directory(WEB_DIR.toFile())
            .redirectErrorStream(true);
        final Map<String, String> env = builder.environment();
        env.putAll(serverEnv);
        env.put("CHROMIUM_PATH", chromium().toString());
        env.put("TICKWIRE_ARTIFACTS", ARTIFACTS_DIR.toString());
        final Process process = builder.start();
        final StringBuilder output = new StringBuilder();
        final Thread pump = new Thread(() -> copy(process.getInputStream(), output), "node-output");
        pump.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            killTree(process);
            pump.join(TimeUnit.SECONDS.toMillis(5));
            fail("node --test " + testDir + " did not finish within " + timeout.toSeconds() + " s; killed. Output:\n" +
                output(output));
        }
        pump.join(TimeUnit.SECONDS.toMillis(5));
        if (process.exitValue() != 0)
        {
            fail("node --test " + testDir + " exited with " + process.exitValue() + ". Output:\n" + output(output));
        }
        return output(output);
    }

    private static void requireNode() throws InterruptedException
    {
        try
        {
            final Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            final String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!version.waitFor(10, TimeUnit.SECONDS) || version.exitValue() != 0)
            {
                fail("node --version failed (" + text + "): " + INSTALL_NODE);
            }
        }
        catch (final IOException e)
        {
            fail("the web tests need node on the PATH (" + e.getMessage() + "): " + INSTALL_NODE);
        }
    }

    private static void requireBuilt()
    {
        for (final String part : new String[] {"node_modules/playwright-core", "node_modules/ws", "dist/sdk/index.js"})
        {
            if (!Files.exists(WEB_DIR.resolve(part)))
            {
                fail(WEB_DIR.resolve(part) + " is missing: build the web module first (mvn -pl web compile, which " +
                    "runs npm ci and tsc)");
            }
        }
    }

    /** Copies the child's output to the test log line by line, and keeps it for the failure message. */
    private static void copy(final InputStream stream, final StringBuilder output)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                System.out.println(line);
                synchronized (output)
                {
                    output.append(line).append('\n');
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static String output(final StringBuilder output)
    {
        synchronized (output)
        {
            return output.toString();
        }
    }

    private static void killTree(final Process process) throws InterruptedException
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
