package io.tickwire.net;

import io.tickwire.bots.BotTokens;
import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real bots against a server that requires tokens, over ws and over wss with a self-signed certificate: every bot
 * presents its own token, joins, and verifies its snapshots. Over ws the handshake deadline is shorter than the run,
 * and closes none of them once they are WebSockets; over wss it is long and the run longer, as a cold JVM's
 * first TLS handshakes (server and bots in one JVM) on a loaded machine were measured at several seconds.
 */
class SecureSwarmIntegrationTest
{
    private static final String SECRET = "0123456789abcdef0123456789abcdef-swarm-secret";
    private static final int BOTS = 12;
    private static final int TLS_BOTS = 6;
    private static final int ROOMS = 2;
    private static final long RUN_NS = TimeUnit.SECONDS.toNanos(3);
    private static final long TLS_RUN_NS = TimeUnit.SECONDS.toNanos(8);
    private static final long TLS_HANDSHAKE_TIMEOUT_MS = 20_000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void botsWithTokensJoinAServerThatRequiresThem() throws Exception
    {
        try (LiveServer live = LiveServer.start(secured(null, 2_000), LiveServer.catalog()))
        {
            runAndVerify(live, live.websocketUrl(), BOTS, RUN_NS);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void botsWithTokensOverWssToASelfSignedServer() throws Exception
    {
        try (LiveServer live = LiveServer.start(
            secured(TlsSettings.selfSignedCertificate(), TLS_HANDSHAKE_TIMEOUT_MS), LiveServer.catalog()))
        {
            runAndVerify(live, URI.create("wss://127.0.0.1:" + live.server().port() + "/ws"), TLS_BOTS, TLS_RUN_NS);
            assertEquals(200, RawHttps.status(live.server().port(), "/health"), "https on the same port");
        }
    }

    private static ServerConfig secured(final TlsSettings tls, final long handshakeTimeoutMs)
    {
        return LiveServer.config(1).withAccess(AccessConfig.defaults()
            .withTokens(new TokenPolicy(SECRET, "tickwire", "auth.example", 5))
            .withHandshakeTimeoutMs(handshakeTimeoutMs)
            .withTls(tls));
    }

    private static void runAndVerify(final LiveServer live, final URI url, final int bots, final long runNs)
        throws InterruptedException
    {
        final SwarmResult result = new Swarm(SwarmConfig.builder(url)
            .bots(bots).rooms(ROOMS).durationNs(runNs).warmupNs(0)
            .tokens(new BotTokens(SECRET, "tickwire", "auth.example", 60))
            .trustAnyCertificate(true)
            .build()).run();

        assertEquals(Map.of(), result.errorsByKind(), result.summary());
        assertTrue(result.passed(), result.summary());
        assertEquals(bots, result.joinedCount(), result.summary());
        assertEquals(0, result.checksumMismatches(), result.summary());
        assertTrue(result.deltaSnapshots() > bots * 10L, result.summary());
        final NetCounters counters = live.server().netCounters();
        assertEquals(bots, counters.handshakes.get());
        assertEquals(0, counters.handshakesRefused.get());
        for (final Refusal refusal : Refusal.values())
        {
            assertEquals(0, counters.refusals(refusal), refusal.name());
        }
    }
}
