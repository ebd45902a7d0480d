package io.tickwire.net;

import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Welcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live server's plain WebSocket connections are read by their event loop's read pass ({@link
 * io.tickwire.net.pipeline.SocketReadPass}) from the handshake on, and behave as through Netty's read path: joins and
 * game frames reach the client handler, each event loop reads its own connections, pings and close frames reach
 * Netty's frame handling, a silent connection is closed by the idle timeout, a close frame hands the connection back
 * to Netty's read path, and a connection whose client ends its stream is closed and leaves the pass.
 */
@Timeout(30)
class SocketReadPassIntegrationTest
{
    private static final int FIN_PING = 0x89;
    private static final int FIN_PONG = 0x8A;
    private static final int FIN_CLOSE = 0x88;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aJoinReadByThePassIsWelcomedAndSnapshotsFollow() throws Exception
    {
        try (LiveServer server = LiveServer.start(1, "arena:pass");
            RawClient client = RawClient.connect(server.websocketUrl()))
        {
            client.join("arena", "pass", "p");

            assertInstanceOf(Welcome.class, client.next(WAIT));
            await().atMost(WAIT).until(() -> client.snapshots() >= 3);
            assertEquals(1, server.metric("tickwire_io_pass_reads_connections_total"));
            assertEquals(1, server.metric("tickwire_io_pass_reads_open"), "still read by the pass");
            assertEquals(0, server.metric("tickwire_io_pass_reads_handbacks_total"));
        }
    }

    @Test
    void everyEventLoopReadsItsOwnConnections() throws Exception
    {
        final ServerConfig base = LiveServer.config(1, "arena:loops");
        final int eventLoops = 2;
        final ServerConfig config = LiveServer.config(base, eventLoops, base.idleTimeoutSeconds(), base.access());
        final int clients = 4;
        final List<RawClient> connected = new ArrayList<>();
        try (LiveServer server = LiveServer.start(config, LiveServer.catalog()))
        {
            for (int i = 0; i < clients; i++)
            {
                final RawClient client = RawClient.connect(server.websocketUrl());
                connected.add(client);
                client.join("arena", "loops", "p" + i);
                assertInstanceOf(Welcome.class, client.next(WAIT));
            }

            assertEquals(clients, server.metric("tickwire_io_pass_reads_connections_total"),
                "each connection found its own loop's pass");
            assertEquals(clients, server.metric("tickwire_io_pass_reads_open"));
        }
        finally
        {
            connected.forEach(RawClient::close);
        }
    }

    @Test
    void aPingIsAnsweredAndACloseFrameIsAnsweredThenTheConnectionGoesBackToNetty() throws Exception
    {
        try (LiveServer server = LiveServer.start(1);
            RawWsClient client = new RawWsClient(server.server().port(), 64 * 1024))
        {
            await().atMost(WAIT).until(() -> server.metric("tickwire_io_pass_reads_connections_total") == 1);
            client.frame(FIN_PING, "hi".getBytes(StandardCharsets.US_ASCII));
            client.flush();
            final byte[] pong = client.readFrame();
            assertArrayEquals(new byte[] {(byte)FIN_PONG, 'h', 'i'}, pong);

            client.frame(FIN_CLOSE, new byte[] {0x03, (byte)0xE8});
            client.flush();
            final byte[] rest = client.readToEnd();
            assertTrue(rest.length >= 4, "a close frame came back: " + Arrays.toString(rest));
            assertEquals(FIN_CLOSE, rest[0] & 0xFF);
            assertEquals(CloseCodes.NORMAL, ((rest[2] & 0xFF) << 8) | (rest[3] & 0xFF));
            await().atMost(WAIT).until(() -> server.metric("tickwire_io_pass_reads_handbacks_total") == 1);
            await().atMost(WAIT).until(() -> server.server().netCounters().connectionsClosed.get() == 1);
        }
    }

    @Test
    void aSilentConnectionIsClosedByTheIdleTimeout() throws Exception
    {
        final ServerConfig base = LiveServer.config(1, "arena:quiet");
        final int idleTimeoutSeconds = 1;
        final ServerConfig config = LiveServer.config(base, base.ioThreads(), idleTimeoutSeconds, base.access());
        try (LiveServer server = LiveServer.start(config, LiveServer.catalog()))
        {
            final long connectNs = System.nanoTime();
            final byte[] received;
            try (RawWsClient client = new RawWsClient(server.server().port(), 64 * 1024))
            {
                await().atMost(WAIT).until(() -> server.metric("tickwire_io_pass_reads_connections_total") == 1);
                received = client.readToEnd();
            }

            assertTrue(System.nanoTime() - connectNs >= TimeUnit.SECONDS.toNanos(idleTimeoutSeconds),
                "not before the timeout");
            assertEquals(1, server.server().netCounters().idleTimeouts.get());
            assertTrue(received.length >= 4, "a close frame came: " + Arrays.toString(received));
            assertEquals(FIN_CLOSE, received[0] & 0xFF);
            assertEquals(CloseCodes.GOING_AWAY, ((received[2] & 0xFF) << 8) | (received[3] & 0xFF));
        }
    }

    /**
     * Whichever sees the end first closes the connection: the pass (it hands the connection back and Netty reads the
     * end again), or Netty's own watch for the peer's FIN (EPOLLRDHUP, still armed while the pass reads), when the
     * loop polls its transport before the next pass. Either way it leaves the pass.
     */
    @Test
    void aClientThatEndsItsStreamIsClosedAndLeavesThePass() throws Exception
    {
        try (LiveServer server = LiveServer.start(1, "arena:leaving");
            RawWsClient client = new RawWsClient(server.server().port(), 64 * 1024))
        {
            client.join("arena", "leaving");
            await().atMost(WAIT).until(() -> server.metric("tickwire_io_pass_reads_open") == 1);

            client.shutdownOutput();
            client.readToEnd();

            await().atMost(WAIT).until(() -> server.server().netCounters().connectionsClosed.get() == 1);
            await().atMost(WAIT).until(() -> server.metric("tickwire_io_pass_reads_open") == 0);
        }
    }
}
