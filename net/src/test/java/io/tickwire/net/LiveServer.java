package io.tickwire.net;

import io.tickwire.api.GameSettings;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;
import io.tickwire.testsupport.NettyLeaks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A server on an ephemeral loopback port with the reference workload's defaults and every game on the class path
 * (arena, tag), for the live tests: its WebSocket address, plain HTTP GETs against it, and a close that stops
 * everything it started. While it runs, Netty samples buffers for leaks instead of tracking each one. It runs no
 * demo bots (those are {@link ServerMain}'s; a test that wants them starts {@link DemoBots} itself).
 */
final class LiveServer implements AutoCloseable
{
    private final HttpClient http = HttpClient.newHttpClient();
    private final NettyLeaks.SampledScope leakSampling = NettyLeaks.sampled();
    private final ServerConfig config;
    private final TickwireServer server;

    private LiveServer(final ServerConfig config, final GameCatalog catalog) throws InterruptedException
    {
        this.config = config;
        this.server = TickwireServer.start(config, catalog);
    }

    /**
     * @param shards      simulation shards.
     * @param pinnedRooms rooms kept open from the start, as {@code TYPE:NAME}.
     */
    static LiveServer start(final int shards, final String... pinnedRooms) throws InterruptedException
    {
        return start(config(shards, pinnedRooms), catalog());
    }

    static LiveServer start(final ServerConfig config, final GameCatalog catalog) throws InterruptedException
    {
        return new LiveServer(config, catalog);
    }

    /**
     * @return the live tests' server settings: one event loop, 30 Hz defaults.
     */
    static ServerConfig config(final int shards, final String... pinnedRooms)
    {
        return new ServerConfig(
            "127.0.0.1", 0, 1, shards, List.of(pinnedRooms), 10_000, 30, 32 * 1024, 64 * 1024,
            ServerConfig.defaultMaxMessagesPerSecond(30, catalog()), ShardConfig.defaults());
    }

    /**
     * @return {@code base} with other event loops, idle timeout and access settings, everything else kept.
     */
    static ServerConfig config(
        final ServerConfig base, final int ioThreads, final int idleTimeoutSeconds, final AccessConfig access)
    {
        return new ServerConfig(base.host(), base.port(), ioThreads, base.shards(), base.pinnedRooms(),
            base.maxRooms(), idleTimeoutSeconds, base.writeBufferLowBytes(), base.writeBufferHighBytes(),
            base.maxMessagesPerSecond(), base.shard(), base.tcpNotSentLowatBytes(), base.notReadingTimeoutMs(), access,
            base.inspectRooms(), base.io());
    }

    /**
     * @return every game on the test class path, with default settings.
     */
    static GameCatalog catalog()
    {
        return GameCatalog.load(
            LiveServer.class.getClassLoader(), List.of(), name -> new GameSettings(30, 42, Map.of()));
    }

    TickwireServer server()
    {
        return server;
    }

    ServerConfig config()
    {
        return config;
    }

    URI websocketUrl()
    {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /**
     * @return the value of the untagged metric {@code name} in the server's {@code /metrics} now.
     */
    long metric(final String name) throws Exception
    {
        for (final String line : get("/metrics").body().split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return (long)Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }

    public void close()
    {
        server.close();
        leakSampling.close();
    }
}
