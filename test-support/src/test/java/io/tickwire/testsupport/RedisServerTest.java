package io.tickwire.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@Timeout(30)
@ExtendWith(RedisServerExtension.class)
final class RedisServerTest
{
    @Test
    void answersCommandsAndScansByPrefix(final RedisServer redis)
    {
        final String prefix = RedisServerExtension.uniquePrefix();
        assertEquals("PONG", redis.command("PING"));
        assertEquals("OK", redis.command("SET", prefix + "a", "1"));
        redis.command("SET", "other:b", "2");
        assertEquals(List.of(prefix + "a"), redis.keys(prefix));
        assertEquals(1L, redis.command("DEL", prefix + "a"));
        assertTrue(redis.keys(prefix).isEmpty());
        assertThrows(IllegalStateException.class, () -> redis.command("NOSUCHCOMMAND"));
    }

    @Test
    void twoServersUseTwoPortsAndCloseFreesThePort(final RedisServer shared)
    {
        final RedisServer own = RedisServer.start();
        final int port = own.port();
        assertNotEquals(shared.port(), port);
        assertEquals("PONG", own.command("PING"));
        own.close();
        own.close();
        assertFalse(accepts(port), "nothing listens after close()");
    }

    private static boolean accepts(final int port)
    {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port))
        {
            return socket.isConnected();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
