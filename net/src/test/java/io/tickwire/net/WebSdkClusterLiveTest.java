package io.tickwire.net;

import io.tickwire.testsupport.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The TypeScript SDK through a real cluster, in Node ({@code web/test/live-cluster/}, through {@link NodeTests}): one
 * redis-server and two clustered nodes as child JVMs; the SDK joins through the matchmakers, the test kills the node
 * hosting its room, and the SDK re-homes to the other node into the same seat. The nodes' logs are in
 * {@code net/target/cluster-logs/sdk-*.log}.
 */
class WebSdkClusterLiveTest
{
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theSdkRehomesThroughTheMatchmakerWhenItsNodeIsKilled() throws Exception
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final List<ClusterNodeProcess> nodes = new ArrayList<>();
        try (RedisServer redis = RedisServer.start())
        {
            final String prefix = "s" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ":";
            try
            {
                for (int i = 0; i < 2; i++)
                {
                    nodes.add(ClusterNodeProcess.start("sdk-" + i, redis.uri(), prefix, List.of()));
                }
                await("both nodes healthy and registered").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> nodes.stream().allMatch(node -> node.isReady(http) && isRegistered(redis, prefix,
                        node)));

                NodeTests.run("test/live-cluster/", Map.of(
                    "TICKWIRE_MATCHMAKERS",
                    nodes.stream().map(node -> node.httpBase().toString()).collect(Collectors.joining(",")),
                    "TICKWIRE_NODE_PIDS",
                    nodes.stream().map(node -> node.port + "=" + node.process.pid()).collect(Collectors.joining(","))),
                    Duration.ofSeconds(90));
            }
            finally
            {
                for (final ClusterNodeProcess node : nodes)
                {
                    node.close();
                }
            }
        }
    }

    private static boolean isRegistered(final RedisServer redis, final String prefix, final ClusterNodeProcess node)
    {
        final Object members = redis.command("ZRANGE", prefix + "nodes", "0", "-1");
        return members instanceof List && ((List<?>)members).stream().anyMatch(id -> node.owns(String.valueOf(id)));
    }
}
