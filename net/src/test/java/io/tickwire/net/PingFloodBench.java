package io.tickwire.net;

import io.tickwire.bots.Swarm;
import io.tickwire.bots.SwarmConfig;
import io.tickwire.bots.SwarmResult;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A measurement, not a CI test (its name keeps it out of the default run): a live server on 127.0.0.1 with one event
 * loop, {@code tickwire.bench.flooders} connections that flood WebSocket pings as fast as the socket takes them (and
 * read the pongs, so the server keeps reading), and {@code tickwire.bench.bots} arena bots beside them for
 * {@code tickwire.bench.seconds}. It prints the snapshots the server wrote per second, the other bots' input latency
 * and ping round trip p99, and what became of the flooders.
 * <pre>
 *   mvn -o -q -pl net -am test -Dtest=PingFloodBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtickwire.bench.flooders=4 -Dtickwire.bench.bots=100 -Dtickwire.bench.seconds=15
 * </pre>
 */
class PingFloodBench
{
    private static final int PINGS_PER_WRITE = 4096;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void measure() throws Exception
    {
        final int flooders = Integer.getInteger("tickwire.bench.flooders", 4);
        final int bots = Integer.getInteger("tickwire.bench.bots", 100);
        final int seconds = Integer.getInteger("tickwire.bench.seconds", 15);
        final ServerConfig base = LiveServer.config(1);
        final AccessConfig access = base.access();
        final ServerConfig config = LiveServer.config(base, base.ioThreads(), base.idleTimeoutSeconds(),
            new AccessConfig(access.tokens(), access.allowedOrigins(), access.maxConnections(), flooders + bots,
                access.handshakeTimeoutMs(), access.tls()));
        try (LiveServer live = LiveServer.start(config, LiveServer.catalog()))
        {
            final int port = live.websocketUrl().getPort();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 5);
            final AtomicLong pingsSent = new AtomicLong();
            final AtomicLong floodersClosed = new AtomicLong();
            final AtomicLong floodersClosedAtMs = new AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            final long startMs = System.currentTimeMillis();
            for (int i = 0; i < flooders; i++)
            {
                final Thread flooder = new Thread(
                    () -> flood(port, deadlineNs, pingsSent, floodersClosed, floodersClosedAtMs, startMs),
                    "flooder-" + i);
                flooder.setDaemon(true);
                flooder.start();
                threads.add(flooder);
            }

            final long snapshotsBefore = snapshotsSent(live.server());
            final SwarmResult result = new Swarm(SwarmConfig.builder(live.websocketUrl())
                .bots(bots).rooms(4).durationNs(TimeUnit.SECONDS.toNanos(seconds)).build()).run();
            final long snapshots = snapshotsSent(live.server()) - snapshotsBefore;
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }

            final double elapsedSeconds = result.elapsedNs() / 1e9;
            System.out.printf(
                "%nPING FLOOD: %d flooders, %d bots, %d s%n" +
                "  snapshots written/s   %.0f (%.1f per bot)%n" +
                "  bots input latency    p50 %.1f ms, p99 %.1f ms%n" +
                "  bots ping rtt         p99 %.1f ms%n" +
                "  bots joined %d, errors %s%n" +
                "  flooders: %d pings sent, %d closed (last after %d ms), closed for rate limit: %d%n",
                flooders, bots, seconds, snapshots / elapsedSeconds, snapshots / elapsedSeconds / bots,
                result.latencyPercentileMs(50), result.latencyPercentileMs(99), result.rttPercentileMs(99),
                result.joinedCount(), result.errorsByKind(), pingsSent.get(), floodersClosed.get(),
                floodersClosedAtMs.get(), live.server().netCounters().invalidMessages(ClientMessageError.RATE_LIMITED));
        }
    }

    private static long snapshotsSent(final TickwireServer server)
    {
        long sent = 0;
        for (int shard = 0; shard < server.shardCount(); shard++)
        {
            sent += server.shardCounters(shard).snapshotsSent.get();
        }
        return sent;
    }

    /**
     * Upgrades a raw socket, then writes masked pings until the server closes it or the deadline passes, while a
     * second thread reads (and drops) the pongs.
     */
    private static void flood(
        final int port, final long deadlineNs, final AtomicLong pingsSent, final AtomicLong closed,
        final AtomicLong closedAtMs, final long startMs)
    {
        try (Socket socket = new Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(5000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                "Sec-WebSocket-Protocol: " + WireFormat.SUBPROTOCOL + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            int matched = 0;
            while (matched < 4)
            {
                final int b = in.read();
                if (b < 0)
                {
                    return;
                }
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            final Thread reader = new Thread(() -> drain(in), "flood-reader");
            reader.setDaemon(true);
            reader.start();

            final byte[] pings = new byte[PINGS_PER_WRITE * 6];
            for (int i = 0; i < PINGS_PER_WRITE; i++)
            {
                pings[i * 6] = (byte)0x89;
                pings[i * 6 + 1] = (byte)0x80;
            }
            while (System.nanoTime() < deadlineNs)
            {
                out.write(pings);
                pingsSent.addAndGet(PINGS_PER_WRITE);
            }
        }
        catch (final IOException ex)
        {
            closed.incrementAndGet();
            closedAtMs.set(System.currentTimeMillis() - startMs);
        }
    }

    private static void drain(final InputStream in)
    {
        final byte[] buffer = new byte[64 * 1024];
        try
        {
            while (in.read(buffer) >= 0)
            {
                continue;
            }
        }
        catch (final IOException ex)
        {
            return;
        }
    }
}
