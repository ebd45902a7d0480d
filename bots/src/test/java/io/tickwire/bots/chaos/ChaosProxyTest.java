package io.tickwire.bots.chaos;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy between a blocking client socket and a blocking server socket: it forwards both ways after its latency,
 * a reset reaches both ends as an RST, and a half-open connection forwards nothing from the client, ignores the
 * client closing, and ends only when the server closes.
 */
@Timeout(20)
class ChaosProxyTest
{
    private static final long PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final double EVERY_PERIOD = 10.0;
    private static final int READ_TIMEOUT_MS = 5000;

    private final ServerSocket target = newTarget();
    private ChaosProxy proxy;

    @AfterEach
    void closeAll() throws IOException
    {
        proxy.close();
        target.close();
    }

    @Test
    void forwardsBothWaysAfterItsLatency() throws Exception
    {
        final long latencyNs = TimeUnit.MILLISECONDS.toNanos(50);
        proxy = ChaosProxy.start(address(), new ChaosFaults(latencyNs, 0, 0, 0, 0, 0, false, PERIOD_NS, 1));
        try (Socket client = connect(); Socket server = accept())
        {
            final long startNs = System.nanoTime();
            client.getOutputStream().write(new byte[]{1, 2, 3});
            assertArrayEquals(new byte[]{1, 2, 3}, server.getInputStream().readNBytes(3));
            server.getOutputStream().write(new byte[]{4, 5});
            assertArrayEquals(new byte[]{4, 5}, client.getInputStream().readNBytes(2));
            assertTrue(System.nanoTime() - startNs >= 2 * latencyNs);
            assertEquals(1, proxy.connections());
        }
    }

    @Test
    void aResetReachesBothEndsAsAnRst() throws Exception
    {
        proxy = ChaosProxy.start(address(), new ChaosFaults(0, 0, EVERY_PERIOD, 0, 0, 0, false, PERIOD_NS, 1));
        try (Socket client = connect(); Socket server = accept())
        {
            assertThrows(SocketException.class, () -> client.getInputStream().read());
            assertThrows(SocketException.class, () -> server.getInputStream().read());
            assertEquals(1, proxy.resets());
        }
    }

    @Test
    void aHalfOpenConnectionForwardsNothingFromTheClientAndEndsOnlyWhenTheServerCloses() throws Exception
    {
        proxy = ChaosProxy.start(address(), new ChaosFaults(0, 0, 0, 0, 0, EVERY_PERIOD, false, PERIOD_NS, 1));
        try (Socket client = connect(); Socket server = accept())
        {
            while (proxy.halfOpens() == 0)
            {
                Thread.onSpinWait();
            }
            client.getOutputStream().write(new byte[]{1});
            client.shutdownOutput();
            server.setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, () -> server.getInputStream().read());

            server.getOutputStream().write(new byte[]{9});
            server.shutdownOutput();
            final InputStream in = client.getInputStream();
            assertEquals(9, in.read());
            assertEquals(-1, in.read(), "the server closing ends it");
            assertEquals(1, proxy.halfOpensClosedByServer());
        }
    }

    private InetSocketAddress address()
    {
        return new InetSocketAddress("127.0.0.1", target.getLocalPort());
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", proxy.port());
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private Socket accept() throws IOException
    {
        final Socket socket = target.accept();
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    private static ServerSocket newTarget()
    {
        try
        {
            final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(READ_TIMEOUT_MS);
            return socket;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
