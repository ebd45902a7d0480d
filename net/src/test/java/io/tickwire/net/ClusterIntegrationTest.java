package io.tickwire.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.bots.BotError;
import io.tickwire.bots.MatchmakingFigures;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.testsupport.RedisServer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three clustered servers as child JVMs on one real Redis, with players that join through {@code POST /matchmake}
 * round-robin over the three nodes, and a bot swarm (the bots module's {@code --matchmaker} mode) through the last
 * node's. In order:
 * <ol>
 *   <li>every node hosts rooms; one is killed (SIGKILL): within 3 s it is out of the directory and no room points
 *   to it; within 15 s every player plays again on a live node, in the same room with the same entity; the restored
 *   rooms lost at most the checkpoint interval (30 ticks) plus 15; no snapshot ever failed its view checksum;</li>
 *   <li>another node drains (SIGTERM): its rooms move with a checkpoint taken at the drain, so they resume at a tick
 *   no older than the last one their players saw: nothing lost;</li>
 *   <li>once every player left, no room key remains, and once every node left, no key at all.</li>
 * </ol>
 * The nodes' logs are in {@code net/target/cluster-logs/}.
 */
@EnabledOnOs(OS.LINUX)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterIntegrationTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NODES = 3;
    private static final long DETECTION_LIMIT_NS = TimeUnit.SECONDS.toNanos(3);
    private static final Duration REHOME_LIMIT = Duration.ofSeconds(15);
    /** One checkpoint interval at 30 Hz, plus half a second for the upload and the detection's round trips. */
    private static final long MAX_LOST_TICKS = 30 + 15;
    private static final int SNAPSHOTS_TO_PLAY = 10;
    /** Rooms of the bot swarm (bots module) that joins through the last node's matchmaker, never killed. */
    private static final List<String> SWARM_ROOMS = List.of("arena-0", "arena-1");
    private static final int SWARM_BOTS = 8;
    /** What a swarm bot counts when its node dies: the reset connection, and its RESUME to the dead node refused. */
    private static final Set<BotError> KILL_ERRORS = Set.of(BotError.CONNECT_FAILED, BotError.EXCEPTION);
    private static final Map<String, Integer> ROOMS = Map.of(
        "arena-a", 4, "arena-b", 4, "arena-c", 4, "tag-a", 3, "tag-b", 3, "tag-c", 3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ClusterNodeProcess> nodes = new ArrayList<>();
    private final List<MatchmadeBot> bots = new ArrayList<>();
    private RedisServer redis;
    private String prefix;

    @BeforeAll
    void startClusterAndPlayers() throws Exception
    {
        redis = RedisServer.start();
        prefix = "t" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ":";
        for (int i = 0; i < NODES; i++)
        {
            nodes.add(ClusterNodeProcess.start("node-" + i, redis.uri(), prefix, List.of(
                "--game-option", "tag.keepAliveSeconds=1", "--drain-timeout", "8s", "--drain-reconnect-delay", "0s",
                "--resume-grace", "3s", "--rehome-grace", "8s")));
        }
        await("every node healthy and registered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> nodes.stream().allMatch(node -> node.isReady(http) && nodeIdOf(node) != null));

        final List<URI> matchmakers = new ArrayList<>();
        for (final ClusterNodeProcess node : nodes)
        {
            matchmakers.add(node.httpBase());
        }
        int turn = 0;
        for (final Map.Entry<String, Integer> room : ROOMS.entrySet())
        {
            final String type = room.getKey().substring(0, room.getKey().indexOf('-'));
            final MatchmadeBot first = new MatchmadeBot(http, matchmakers, turn++, type, room.getKey(), "p" + turn);
            bots.add(first);
            first.start();
            await("the first player of " + room.getKey()).atMost(Duration.ofSeconds(20))
                .until(() -> first.isPlaying(1));
            for (int i = 1; i < room.getValue(); i++)
            {
                final MatchmadeBot bot = new MatchmadeBot(http, matchmakers, turn++, type, room.getKey(), "p" + turn);
                bots.add(bot);
                bot.start();
            }
        }
        await("every player playing").atMost(Duration.ofSeconds(30))
            .until(() -> bots.stream().allMatch(bot -> bot.isPlaying(SNAPSHOTS_TO_PLAY)));
        await("every room checkpointed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
            .until(() -> ROOMS.keySet().stream().allMatch(
                room -> Long.valueOf(1).equals(redis.command("EXISTS", prefix + "ckpt:" + room))));
    }

    @AfterAll
    void stopEverything()
    {
        for (final MatchmadeBot bot : bots)
        {
            bot.stop();
        }
        for (final ClusterNodeProcess node : nodes)
        {
            node.close();
        }
        if (redis != null)
        {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void aKilledNodesRoomsAreRestoredElsewhereAndItsPlayersPlayAgainWithTheirEntities() throws Exception
    {
        final ClusterNodeProcess swarmMatchmaker = nodes.get(NODES - 1);
        final Swarm swarm = new Swarm(SwarmConfig.builder(URI.create("ws://127.0.0.1:1/unused"))
            .bots(SWARM_BOTS).rooms(SWARM_ROOMS.size()).durationNs(TimeUnit.SECONDS.toNanos(25)).warmupNs(0)
            .closeTimeoutNs(TimeUnit.SECONDS.toNanos(1)).reconnect(true).matchmaker(swarmMatchmaker.httpBase())
            .build());
        final CompletableFuture<SwarmResult> swarmRun = CompletableFuture.supplyAsync(() -> run(swarm));
        await("the swarm seated and checkpointed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
            .until(() -> SWARM_ROOMS.stream().mapToLong(room -> clientsOf(room)).sum() == SWARM_BOTS &&
                SWARM_ROOMS.stream().allMatch(room -> Long.valueOf(1).equals(
                    redis.command("EXISTS", prefix + "ckpt:" + room))));

        final Map<String, Set<String>> roomsByNode = roomsByNode();
        assertEquals(NODES, roomsByNode.size(), "every node hosts rooms: " + roomsByNode);
        final String victimId = roomsByNode.entrySet().stream().filter(node -> !swarmMatchmaker.owns(node.getKey()))
            .max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size())).orElseThrow().getKey();
        final ClusterNodeProcess victim = nodes.stream().filter(node -> node.owns(victimId)).findFirst().orElseThrow();
        final Set<String> movedRooms = roomsByNode.get(victimId);
        final List<MatchmadeBot> moved = botsIn(movedRooms);
        final Map<String, Long> killTicks = lastTicks(moved);
        final long swarmBotsMoved = movedRooms.stream().filter(SWARM_ROOMS::contains).mapToLong(this::clientsOf).sum();
        movedRooms.removeIf(SWARM_ROOMS::contains);

        final long killedAtNs = System.nanoTime();
        victim.kill();
        nodes.remove(victim);
        await("the dead node out of the directory").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
            .until(() -> !members("nodes").contains(victimId) && movedRooms.stream().noneMatch(
                room -> victimId.equals(redis.command("HGET", prefix + "room:" + room, "node"))));
        final long detectedNs = System.nanoTime() - killedAtNs;
        assertTrue(detectedNs < DETECTION_LIMIT_NS, "detected in " + TimeUnit.NANOSECONDS.toMillis(detectedNs) + " ms");

        await("every player of the dead node playing again").atMost(REHOME_LIMIT)
            .until(() -> moved.stream().allMatch(bot -> bot.welcomes.get() >= 2 && bot.isPlaying(SNAPSHOTS_TO_PLAY)));
        System.out.printf("killed %s: detected in %d ms, every player playing again %d ms after the kill%n",
            victimId, TimeUnit.NANOSECONDS.toMillis(detectedNs),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNs));
        for (final MatchmadeBot bot : moved)
        {
            assertFalse(victimId.equals(bot.node()), bot + " on a live node");
            assertEquals(bot.firstEntityId(), bot.entityId(), bot + " kept its entity");
            assertEquals(bot.firstPlayerId(), bot.playerId(), bot + " kept its seat");
        }
        final Map<String, Long> restored = restoredTicks(movedRooms, victimId);
        for (final String room : movedRooms)
        {
            final long lost = killTicks.get(room) - restored.getOrDefault(room, 0L);
            assertTrue(lost <= MAX_LOST_TICKS, room + " lost " + lost + " ticks (restored from " +
                restored.get(room) + ", players saw " + killTicks.get(room) + ")");
        }
        assertNoChecksumMismatch();

        final SwarmResult swarmResult = swarmRun.get(60, TimeUnit.SECONDS);
        final MatchmakingFigures figures = swarmResult.matchmaking();
        assertTrue(KILL_ERRORS.containsAll(swarmResult.errorsByKind().keySet()), swarmResult.summary());
        assertEquals(0, swarmResult.checksumMismatches(), swarmResult.summary());
        assertEquals(SWARM_BOTS, swarmResult.joinedCount(), swarmResult.summary());
        assertTrue(swarmResult.droppedBots() >= swarmBotsMoved, swarmResult.summary());
        assertEquals(swarmResult.droppedBots(), swarmResult.returnedBots(), swarmResult.summary());
        assertEquals(0, figures.notBack(), swarmResult.summary());
        assertEquals(0, figures.rehomeEntityChanged(), swarmResult.summary());
    }

    private long clientsOf(final String room)
    {
        final Object clients = redis.command("HGET", prefix + "room:" + room, "clients");
        return clients == null ? 0 : Long.parseLong((String)clients);
    }

    private static SwarmResult run(final Swarm swarm)
    {
        try
        {
            return swarm.run();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Test
    @Order(2)
    void aDrainedNodesRoomsMoveWithoutLosingATick() throws Exception
    {
        final Map<String, Set<String>> roomsByNode = roomsByNode();
        roomsByNode.values().forEach(rooms -> rooms.retainAll(ROOMS.keySet()));
        final String drainedId = roomsByNode.entrySet().stream()
            .max((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size())).orElseThrow().getKey();
        final ClusterNodeProcess drained =
            nodes.stream().filter(node -> node.owns(drainedId)).findFirst().orElseThrow();
        final Set<String> movedRooms = roomsByNode.get(drainedId);
        assertFalse(movedRooms.isEmpty(), "the drained node hosts rooms: " + roomsByNode);
        final List<MatchmadeBot> moved = botsIn(movedRooms);
        final Map<String, Integer> welcomes = new HashMap<>();
        for (final MatchmadeBot bot : moved)
        {
            welcomes.put(bot.name, bot.welcomes.get());
        }
        final Map<String, Long> ticksBeforeDrain = lastTicks(moved);

        drained.terminate();
        assertTrue(drained.process.waitFor(15, TimeUnit.SECONDS), "the drained node exits");
        assertEquals(0, drained.process.exitValue());
        nodes.remove(drained);
        await("every player of the drained node playing again").atMost(REHOME_LIMIT)
            .until(() -> moved.stream().allMatch(
                bot -> bot.welcomes.get() > welcomes.get(bot.name) && bot.isPlaying(SNAPSHOTS_TO_PLAY)));
        final Map<String, Long> restored = restoredTicks(movedRooms, drainedId);
        for (final String room : movedRooms)
        {
            assertTrue(restored.getOrDefault(room, 0L) >= ticksBeforeDrain.get(room), room + " restored from " +
                restored.get(room) + ", older than the tick " + ticksBeforeDrain.get(room) + " its players saw");
        }
        for (final MatchmadeBot bot : moved)
        {
            assertEquals(bot.firstEntityId(), bot.entityId(), bot + " kept its entity");
        }
        assertFalse(members("nodes").contains(drainedId), "the drained node left");
        assertNoChecksumMismatch();
    }

    @Test
    @Order(3)
    void noKeyIsLeftOnceThePlayersAndTheNodesLeft()
    {
        for (final MatchmadeBot bot : bots)
        {
            bot.stop();
        }
        final Set<String> nodeKeys = new HashSet<>(Set.of(prefix + "nodes", prefix + "load"));
        for (final ClusterNodeProcess node : nodes)
        {
            nodeKeys.add(prefix + "node:" + nodeIdOf(node));
        }
        try
        {
            await("only the live nodes' keys left").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> nodeKeys.containsAll(redis.keys(prefix)));
        }
        catch (final ConditionTimeoutException ex)
        {
            final List<String> left = redis.keys(prefix);
            left.removeAll(nodeKeys);
            final Map<String, Object> contents = new HashMap<>();
            for (final String key : left)
            {
                contents.put(key, redis.command("TYPE", key) + " ttl " + redis.command("PTTL", key) + ": " +
                    ("hash".equals(redis.command("TYPE", key)) ? redis.command("HGETALL", key) : ""));
            }
            throw new AssertionError("keys left after the players: " + contents, ex);
        }
        for (final ClusterNodeProcess node : nodes)
        {
            node.close();
            assertEquals(0, node.process.exitValue(), node.name + " drained and exited");
        }
        assertEquals(List.of(), redis.keys(prefix));
    }

    private void assertNoChecksumMismatch()
    {
        for (final MatchmadeBot bot : bots)
        {
            assertEquals(0, bot.checksumMismatches.get(), bot + " checksum mismatches");
        }
    }

    /**
     * @return each node's rooms, as the directory has them.
     */
    private Map<String, Set<String>> roomsByNode()
    {
        final Map<String, Set<String>> rooms = new HashMap<>();
        for (final String room : members("rooms"))
        {
            final Object node = redis.command("HGET", prefix + "room:" + room, "node");
            if (node != null)
            {
                rooms.computeIfAbsent((String)node, id -> new HashSet<>()).add(room);
            }
        }
        return rooms;
    }

    private List<MatchmadeBot> botsIn(final Set<String> rooms)
    {
        final List<MatchmadeBot> inRooms = new ArrayList<>();
        for (final MatchmadeBot bot : bots)
        {
            if (rooms.contains(bot.room))
            {
                inRooms.add(bot);
            }
        }
        return inRooms;
    }

    /**
     * @return each room's newest tick any of the players saw.
     */
    private static Map<String, Long> lastTicks(final List<MatchmadeBot> players)
    {
        final Map<String, Long> ticks = new HashMap<>();
        for (final MatchmadeBot bot : players)
        {
            ticks.merge(bot.room, bot.lastTick(), Math::max);
        }
        return ticks;
    }

    /**
     * @return the checkpoint tick each of {@code rooms} was restored from, as {@code GET /rooms} of a live node lists
     * it once the room runs on a node other than {@code formerNodeId}.
     */
    private Map<String, Long> restoredTicks(final Set<String> rooms, final String formerNodeId)
    {
        final Map<String, Long> restored = new HashMap<>();
        await("the restored rooms listed").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
            .until(() -> listRestored(rooms, formerNodeId, restored));
        return restored;
    }

    /**
     * @return whether every one of {@code rooms} is listed as restored on a node other than {@code formerNodeId};
     * {@code restored} holds what is listed.
     */
    private boolean listRestored(final Set<String> rooms, final String formerNodeId, final Map<String, Long> restored)
        throws Exception
    {
        restored.clear();
        for (final JsonNode room : JSON.readTree(nodes.get(nodes.size() - 1).get(http, "/rooms")))
        {
            if (rooms.contains(room.get("name").asText()) && room.has("restoredFromTick") &&
                !formerNodeId.equals(room.get("node").asText()))
            {
                restored.put(room.get("name").asText(), room.get("restoredFromTick").asLong());
            }
        }
        return restored.keySet().equals(rooms);
    }

    private String nodeIdOf(final ClusterNodeProcess node)
    {
        for (final String id : members("nodes"))
        {
            if (node.owns(id))
            {
                return id;
            }
        }
        return null;
    }

    private List<String> members(final String key)
    {
        final List<String> members = new ArrayList<>();
        for (final Object member : (List<?>)redis.command("ZRANGE", prefix + key, "0", "-1"))
        {
            members.add((String)member);
        }
        return members;
    }
}
