package io.tickwire.net;

import io.tickwire.api.GameSettings;
import io.tickwire.bots.GameKind;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ShardConfig;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default frame budget against the project's own bots at the extremes of the tick rate, live: tag bots (an input
 * every tick, acks, a ping a second, chat at its declared rate) on a server whose budget is
 * {@link ServerConfig#defaultMaxMessagesPerSecond} for that rate. No bot may be closed, and the frames the server
 * read per bot per second, control frames included, must fit the budget with room to spare: the ten-second burst
 * would hide a budget that is too small from a short run, the measured rate does not. On a loaded machine the bots
 * may send fewer inputs than the tick rate; the measured rate is then scaled up to an input every tick (which
 * overstates the pings, on the safe side).
 */
class FrameBudgetLiveTest
{
    private static final int BOTS = 8;
    private static final long DURATION_NS = TimeUnit.SECONDS.toNanos(6);

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {128, 1})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void botsAtTheTickRateStayWithinTheDefaultBudget(final int tickRateHz) throws Exception
    {
        final GameCatalog catalog = GameCatalog.load(
            FrameBudgetLiveTest.class.getClassLoader(), List.of(), name -> new GameSettings(tickRateHz, 42, Map.of()));
        final int budget = ServerConfig.defaultMaxMessagesPerSecond(tickRateHz, catalog);
        final ServerConfig config = new ServerConfig(
            "127.0.0.1", 0, 1, 1, List.of(), 10_000, 30, 32 * 1024, 64 * 1024, budget,
            ShardConfig.defaults(tickRateHz));
        try (LiveServer live = LiveServer.start(config, catalog))
        {
            final SwarmResult result = new Swarm(SwarmConfig.builder(live.websocketUrl())
                .bots(BOTS).rooms(2).durationNs(DURATION_NS).game(GameKind.TAG).build()).run();

            final NetCounters counters = live.server().netCounters();
            assertEquals(Map.of(), result.errorsByKind(), result.summary());
            assertEquals(BOTS, result.joinedCount(), result.summary());
            assertEquals(0, result.unplannedDisconnects(), result.summary());
            assertEquals(0, counters.invalidMessages(ClientMessageError.RATE_LIMITED));
            assertEquals(0, counters.invalidMessagesTotal());
            assertTrue(result.inputsSent() > 0, result.summary());

            final double seconds = result.elapsedNs() / 1e9;
            final double framesPerBotPerSecond = counters.framesRead.sum() / (double)BOTS / seconds;
            final double inputsPerBotPerSecond = result.inputsSent() / (double)BOTS / seconds;
            final double atAnInputEveryTick = framesPerBotPerSecond * Math.max(1, tickRateHz / inputsPerBotPerSecond);
            assertTrue(atAnInputEveryTick * 1.25 <= budget,
                framesPerBotPerSecond + " frames per bot per second (" + atAnInputEveryTick + " at an input every " +
                "tick) at " + tickRateHz + " Hz against a budget of " + budget);
        }
    }
}
