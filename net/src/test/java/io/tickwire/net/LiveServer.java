package io.tickwire.net;

import io.tickwire.sim.ShardConfig;
import io.tickwire.sim.arena.ArenaConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A server on an ephemeral loopback port with the reference workload's defaults, for the live tests: its
 * WebSocket address, plain HTTP GETs against it, and a close that stops everything it started.
 */
final class LiveServer implements AutoCloseable
{
    private final HttpClient http = HttpClient.newHttpClient();
    private final ServerConfig config;
    private final TickwireServer server;

    private LiveServer(final ServerConfig config) throws InterruptedException
    {
        this.config = config;
        this.server = TickwireServer.start(config, config.arena());
    }

    /**
     * @param shards      simulation shards.
     * @param pinnedRooms rooms kept open from the start.
     */
    static LiveServer start(final int shards, final String... pinnedRooms) throws InterruptedException
    {
        return new LiveServer(new ServerConfig(
            "127.0.0.1", 0, 1, shards, List.of(pinnedRooms), 30, 32 * 1024, 64 * 1024, 120, ShardConfig.defaults(),
            ArenaConfig.defaults()));
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

    public void close()
    {
        server.close();
    }
}
