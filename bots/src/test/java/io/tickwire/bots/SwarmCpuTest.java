package io.tickwire.bots;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The swarm's own CPU figures: reading {@code /proc/self/stat}, the per-second and per-bot-tick arithmetic, and how
 * the report shows them, measured or not.
 */
class SwarmCpuTest
{
    private static final SwarmConfig CONFIG = SwarmConfig.builder(URI.create("ws://127.0.0.1:7777/ws")).build();

    @Test
    void statIsReadAfterTheLastParenthesisOfTheCommandName()
    {
        final String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 120 0 0 0 1234 567 0 0 20 0 30 0 9 0 0";

        assertArrayEquals(new long[] { 1234, 567 }, ProcessCpu.parseUserAndSystemTicks(stat));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseUserAndSystemTicks("1 (a) S 1 2"));
    }

    @Test
    void theProcessSampleSplitsItsExactTotalIntoUserAndSystem()
    {
        final ProcessCpu.Sample sample = ProcessCpu.sample();

        assertTrue(sample.totalNs() > 0, sample.toString());
        if (ProcessCpu.userAndSystemTicks() != null)
        {
            assertEquals(sample.totalNs(), sample.userNs() + sample.systemNs(), sample.toString());
        }
        assertTrue(ProcessCpu.threadCpuNs(Thread.currentThread().getId()) > 0);
    }

    @Test
    void figuresArePerSecondOfTheWindowAndPerBotTick()
    {
        final SwarmCpu cpu = new SwarmCpu(20_000_000_000L, 600_000, 6_000_000_000L, 2_000_000_000L,
            4_000_000_000L, 5_400_000_000L, 1, "epoll", 1_000, 0);

        assertEquals(20.0, cpu.windowSeconds(), 1e-9);
        assertEquals(30_000, cpu.botTicksPerSecond(), 1e-6);
        assertEquals(0.1, cpu.userSecondsPerSecond(), 1e-9);
        assertEquals(0.2, cpu.systemSecondsPerSecond(), 1e-9);
        assertEquals(10.0, cpu.microsPerBotTick(), 1e-9);
        assertEquals(3.333, cpu.userMicrosPerBotTick(), 1e-3);
        assertEquals(6.667, cpu.systemMicrosPerBotTick(), 1e-3);
        assertEquals(9.0, cpu.eventLoopMicrosPerBotTick(), 1e-9);
    }

    @Test
    void unknownFiguresAreNaNAndTheReportSaysNothingWasMeasured() throws Exception
    {
        assertTrue(Double.isNaN(SwarmCpu.NONE.microsPerBotTick()));
        assertTrue(Double.isNaN(SwarmCpu.NONE.userSecondsPerSecond()));
        assertTrue(Double.isNaN(new SwarmCpu(1_000, 0, 5, 2, 3, 4, 1, "nio", 0, 0).microsPerBotTick()));

        final SwarmResult result = result(SwarmCpu.NONE);
        assertTrue(result.summary().contains("swarm cpu            not measured"), result.summary());
        final JsonNode json = new ObjectMapper().readTree(result.toJson()).get("swarmCpu");
        assertEquals(0, json.get("botTicks").asLong());
        assertTrue(json.get("microsPerBotTick").isNull());
        assertTrue(json.get("userSecondsPerSecond").isNull());
    }

    @Test
    void theReportGivesEveryFigure() throws Exception
    {
        final SwarmResult result = result(new SwarmCpu(20_000_000_000L, 600_000, 6_000_000_000L, 2_000_000_000L,
            4_000_000_000L, 5_400_000_000L, 1, "epoll", 1_000, 550_000));

        assertTrue(result.summary().contains("swarm cpu            10.00 us per bot-tick (user 3.33, system 6.67; " +
            "event loops 9.00), user 0.10 s/s, system 0.20 s/s, 30000 bot-ticks/s over 20.0 s, 1 epoll loop, " +
            "1000 connections read by the loops' read passes, 550000 sends batched by their send rings"),
            result.summary());
        final JsonNode json = new ObjectMapper().readTree(result.toJson()).get("swarmCpu");
        assertEquals(20.0, json.get("windowSeconds").asDouble(), 1e-9);
        assertEquals(600_000, json.get("botTicks").asLong());
        assertEquals(30_000, json.get("botTicksPerSecond").asDouble(), 1e-6);
        assertEquals(0.1, json.get("userSecondsPerSecond").asDouble(), 1e-9);
        assertEquals(0.2, json.get("systemSecondsPerSecond").asDouble(), 1e-9);
        assertEquals(10.0, json.get("microsPerBotTick").asDouble(), 1e-9);
        assertEquals(3.333, json.get("userMicrosPerBotTick").asDouble(), 1e-3);
        assertEquals(6.667, json.get("systemMicrosPerBotTick").asDouble(), 1e-3);
        assertEquals(9.0, json.get("eventLoopMicrosPerBotTick").asDouble(), 1e-9);
        assertEquals(1_000, json.get("readByPass").asLong());
        assertEquals(550_000, json.get("sentByRing").asLong());
        assertEquals(1, json.get("eventLoops").asInt());
        assertEquals("epoll", json.get("transport").asText());
    }

    private static SwarmResult result(final SwarmCpu cpu)
    {
        return new SwarmResult(CONFIG, 30_000_000_000L, List.of(), Map.of(), GroupMetrics.newHistogram(),
            GroupMetrics.newHistogram(), GroupMetrics.newHistogram(), GroupMetrics.newHistogram(),
            GroupMetrics.newHistogram(), Map.of(), PresenceAudit.Result.NONE, MatchmakingFigures.NONE, cpu);
    }
}
