package io.tickwire.net;

import io.tickwire.bots.Behaviour;
import io.tickwire.bots.BotTokens;
import io.tickwire.bots.GameKind;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.sim.GameCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's built-in demo bots ({@code --demo-bots N}): swarm bots run in-process against the server's own port
 * over loopback, speaking the real protocol, so a newcomer who opens the demo page sees a living world. Half are
 * arena bots in the room {@value #ARENA_ROOM} (random walk), half tag bots in the room {@value #TAG_ROOM} (they
 * chase, aim and fire, and chat now and then); a game the server does not host gets no bots, and the other gets
 * them all. Every bot answers chat that mentions it ({@code @bot-07}), reconnects with backoff and jitter when it is
 * dropped, and mints its own token at each connect when the server requires tokens; over TLS the bots accept the
 * server's certificate without checking it, as they connect only to the server's own loopback port.
 * <p>
 * They are ordinary clients from the loopback address: they count against the connection caps, which is why
 * {@link ServerMain} refuses more demo bots than half of {@code --max-connections-per-ip}, so a person on the same
 * machine always has the other half. Each game's bots share one event loop; a daemon thread per game runs the swarm
 * until {@link #close()}.
 */
public final class DemoBots implements AutoCloseable
{
    public static final String ARENA_ROOM = "demo";
    public static final String TAG_ROOM = "tag-demo";

    private static final Logger LOGGER = LoggerFactory.getLogger(DemoBots.class);
    /** A swarm's longest run; the bots' thread starts the next one when it ends. */
    private static final long RUN_NS = TimeUnit.HOURS.toNanos(12);
    private static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long STOP_WAIT_MS = TimeUnit.SECONDS.toMillis(10);
    private static final int RAMP_PER_SECOND = 20;
    private static final int TOKEN_TTL_SECONDS = 300;

    private final List<Runner> runners;

    private DemoBots(final List<Runner> runners)
    {
        this.runners = runners;
    }

    /**
     * Starts {@code count} bots against {@code server}; 0 starts none.
     *
     * @param catalog the games the server hosts.
     */
    public static DemoBots start(final TickwireServer server, final int count, final GameCatalog catalog)
    {
        final boolean arena = catalog.get(GameKind.ARENA.cliName()) != null;
        final boolean tag = catalog.get(GameKind.TAG.cliName()) != null;
        final int arenaBots = !arena ? 0 : tag ? (count + 1) / 2 : count;
        final int tagBots = !tag ? 0 : count - arenaBots;
        final URI url = urlOf(server);
        final List<Runner> runners = new ArrayList<>();
        if (arenaBots > 0)
        {
            runners.add(new Runner(config(server, url, arenaBots, GameKind.ARENA, ARENA_ROOM, Behaviour.RANDOM_WALK)));
        }
        if (tagBots > 0)
        {
            runners.add(new Runner(config(server, url, tagBots, GameKind.TAG, TAG_ROOM, Behaviour.CHASE)));
        }
        for (final Runner runner : runners)
        {
            runner.thread.start();
        }
        if (count > 0)
        {
            LOGGER.info("demo bots: {} arena bot(s) in room {}, {} tag bot(s) in room {}, over {} (--demo-bots 0 " +
                "for none)", arenaBots, ARENA_ROOM, tagBots, TAG_ROOM, url);
        }
        return new DemoBots(runners);
    }

    /**
     * Stops every bot (each closes its connection with 1000) and waits for them, at most about
     * {@value #STOP_WAIT_MS} ms. Any thread but the bots'; idempotent.
     */
    public void close()
    {
        for (final Runner runner : runners)
        {
            runner.stop();
        }
        for (final Runner runner : runners)
        {
            try
            {
                runner.thread.join(STOP_WAIT_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static SwarmConfig config(
        final TickwireServer server, final URI url, final int bots, final GameKind game, final String room,
        final Behaviour behaviour)
    {
        final AccessConfig access = server.config().access();
        final TokenPolicy tokens = access.tokens();
        return SwarmConfig.builder(url)
            .bots(bots)
            .room(room)
            .game(game)
            .behaviour(behaviour)
            .durationNs(RUN_NS)
            .threads(1)
            .rampPerSecond(RAMP_PER_SECOND)
            .seed(server.config().shard().seed() + game.ordinal())
            .closeTimeoutNs(CLOSE_TIMEOUT_NS)
            .reconnect(true)
            .answerChat(true)
            .tokens(tokens == null ? null :
                new BotTokens(tokens.secret(), tokens.audience(), tokens.issuer(), TOKEN_TTL_SECONDS))
            .trustAnyCertificate(access.tls() != null)
            .build();
    }

    /**
     * @return the server's own WebSocket address: its bound host (loopback when it listens on every address) and
     * port.
     */
    private static URI urlOf(final TickwireServer server)
    {
        final String bound = server.config().host();
        final String host = bound.isEmpty() || "0.0.0.0".equals(bound) || "::".equals(bound) ? "127.0.0.1" :
            bound.indexOf(':') >= 0 && !bound.startsWith("[") ? "[" + bound + "]" : bound;
        final String scheme = server.config().access().tls() != null ? "wss" : "ws";
        return URI.create(scheme + "://" + host + ":" + server.port() + ServerInitializer.WEBSOCKET_PATH);
    }

    /**
     * One game's bots: swarm runs one after the other on a daemon thread until stopped.
     */
    private static final class Runner implements Runnable
    {
        private final SwarmConfig config;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Swarm swarm;

        Runner(final SwarmConfig config)
        {
            this.config = config;
            this.thread = new Thread(this, "tickwire-demo-bots-" + config.game().cliName());
            this.thread.setDaemon(true);
        }

        public void run()
        {
            while (!stopped)
            {
                final Swarm next = new Swarm(config);
                swarm = next;
                if (stopped)
                {
                    return;
                }
                try
                {
                    next.run();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                catch (final RuntimeException ex)
                {
                    LOGGER.warn("demo bots ({}) stopped: {}", config.game().cliName(), ex.toString());
                    return;
                }
            }
        }

        void stop()
        {
            stopped = true;
            final Swarm running = swarm;
            if (running != null)
            {
                running.stop();
            }
        }
    }
}
