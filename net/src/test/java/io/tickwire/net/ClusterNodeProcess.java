package io.tickwire.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One clustered server as a child JVM: the real {@link ServerMain} on a port picked free beforehand, with
 * {@code --redis}, its output in {@code net/target/cluster-logs/<name>.log}. Its node id is
 * {@code 127.0.0.1:<port>-<hex>}, so the test finds it in the {@code nodes} set by its port.
 */
final class ClusterNodeProcess implements AutoCloseable
{
    static final Path LOG_DIR = Path.of("target", "cluster-logs");
    /** The cluster secret every node shares, handed over in the environment. */
    static final String CLUSTER_SECRET = "0123456789abcdef0123456789abcdef-cluster-test-secret";

    final String name;
    final int port;
    final Process process;

    private ClusterNodeProcess(final String name, final int port, final Process process)
    {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts a node; returns at once (see {@link #isReady(HttpClient)}).
     *
     * @param extraArgs more options, e.g. {@code --drain-timeout 5s}.
     */
    static ClusterNodeProcess start(
        final String name, final String redisUri, final String prefix, final List<String> extraArgs)
        throws IOException
    {
        final int port = freePort();
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new ArrayList<>(List.of(
            java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
            "--port", Integer.toString(port), "--shards", "1", "--io-threads", "1", "--demo-bots", "0",
            "--room", "none", "--redis", redisUri, "--redis-prefix", prefix, "--checkpoint-interval", "1s",
            "--max-matchmakes-per-second-per-ip", "0", "--game-option", "arena.npcs=20"));
        command.addAll(extraArgs);
        Files.createDirectories(LOG_DIR);
        final ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(LOG_DIR.resolve(name + ".log").toFile());
        final Map<String, String> environment = builder.environment();
        environment.remove(ServerMain.TOKEN_SECRET_ENV);
        environment.put(ServerMain.CLUSTER_SECRET_ENV, CLUSTER_SECRET);
        return new ClusterNodeProcess(name, port, builder.start());
    }

    URI httpBase()
    {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * @return whether the id names this node ({@code 127.0.0.1:<port>-<hex>}).
     */
    boolean owns(final String nodeId)
    {
        return nodeId.startsWith("127.0.0.1:" + port + "-");
    }

    /**
     * @return whether {@code /health} answers 200.
     */
    boolean isReady(final HttpClient http)
    {
        try
        {
            return http.send(HttpRequest.newBuilder(httpBase().resolve("/health")).timeout(Duration.ofSeconds(1))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String get(final HttpClient http, final String path) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(httpBase().resolve(path)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * SIGKILL: the node stops heartbeating at once and says nothing to anyone.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM: the node drains and hands its rooms over.
     */
    void terminate()
    {
        process.destroy();
    }

    /**
     * Drains the node (SIGTERM) and waits for it to exit; kills it when it does not within 15 s.
     */
    public void close()
    {
        try
        {
            if (process.isAlive())
            {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS))
                {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
