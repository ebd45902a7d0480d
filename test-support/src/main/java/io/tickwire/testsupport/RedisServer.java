package io.tickwire.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} child process on a free loopback port, for tests. No persistence ({@code --save ""},
 * {@code --appendonly no}), its working directory is a fresh temporary directory removed at {@link #close()}.
 * A missing {@code redis-server} binary fails the caller: tests that need Redis never skip.
 *
 * <p>Thread safety: {@link #start()} and {@link #close()} belong to one thread (the test's); {@link #command} opens a
 * connection per call and may be used from any thread.
 */
public final class RedisServer implements AutoCloseable
{
    /** The binary tests run; CI installs it (Debian package {@code redis-server}). */
    public static final Path BINARY = Path.of(System.getProperty("tickwire.redis.server", "/usr/bin/redis-server"));

    private static final int START_ATTEMPTS = 3;
    private static final long READY_TIMEOUT_MS = 10_000;
    private static final long READY_POLL_MS = 20;
    private static final int SOCKET_TIMEOUT_MS = 5_000;

    private final Process process;
    private final int port;
    private final Path directory;

    private RedisServer(final Process process, final int port, final Path directory)
    {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /**
     * Starts a server on a free port and waits until it answers {@code PING}. A port taken between choosing it and
     * the server's bind is retried with another port, up to three attempts.
     *
     * @return the running server
     * @throws IllegalStateException when {@code redis-server} is missing or does not come up
     */
    public static RedisServer start()
    {
        if (!Files.isExecutable(BINARY))
        {
            throw new IllegalStateException(BINARY + " is missing: install the redis-server package (tests never "
                + "skip)");
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++)
        {
            try
            {
                return startOnce(freePort());
            }
            catch (final IllegalStateException ex)
            {
                last = ex;
            }
        }
        throw last;
    }

    private static RedisServer startOnce(final int port)
    {
        final Path directory;
        try
        {
            directory = Files.createTempDirectory("tickwire-redis-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Path log = directory.resolve("redis.log");
        final ProcessBuilder builder = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port),
            "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--dir", directory.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            deleteQuietly(directory);
            throw new IllegalStateException("cannot run " + BINARY, ex);
        }
        final RedisServer server = new RedisServer(process, port, directory);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (System.nanoTime() < deadlineNs)
        {
            if (!process.isAlive())
            {
                final String output = readQuietly(log);
                server.destroy();
                throw new IllegalStateException("redis-server on port " + port + " exited: " + output);
            }
            if (server.answersPing())
            {
                return server;
            }
            sleepMs(READY_POLL_MS);
        }
        server.destroy();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
            + READY_TIMEOUT_MS + " ms");
    }

    /** @return the TCP port on 127.0.0.1 */
    public int port()
    {
        return port;
    }

    /** @return {@code redis://127.0.0.1:<port>} */
    public String uri()
    {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Runs one command on a fresh connection and returns the decoded reply: {@link String} for simple and bulk
     * strings, {@link Long} for integers, {@link List} for arrays, {@code null} for a null reply. An error reply
     * throws.
     *
     * @param args the command and its arguments, UTF-8
     * @return the reply
     */
    public Object command(final String... args)
    {
        try (Socket socket = connect())
        {
            final OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return readReply(new BufferedInputStream(socket.getInputStream()));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Every key whose name starts with {@code prefix} ({@code SCAN} with {@code MATCH prefix*} to the end).
     *
     * @param prefix a key prefix without glob characters
     * @return the keys found
     */
    public List<String> keys(final String prefix)
    {
        final List<String> keys = new ArrayList<>();
        String cursor = "0";
        do
        {
            final List<?> page = (List<?>)command("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000");
            cursor = (String)page.get(0);
            for (final Object key : (List<?>)page.get(1))
            {
                keys.add((String)key);
            }
        }
        while (!"0".equals(cursor));
        return keys;
    }

    /** Stops the server ({@code SHUTDOWN NOSAVE}, then a forced kill) and removes its directory. Idempotent. */
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                command("SHUTDOWN", "NOSAVE");
            }
            catch (final RuntimeException ignored)
            {
                // The server closes the connection while shutting down (no reply), or it is gone already.
            }
        }
        destroy();
    }

    private void destroy()
    {
        try
        {
            if (!process.waitFor(2, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(directory);
    }

    private boolean answersPing()
    {
        try
        {
            return "PONG".equals(command("PING"));
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SOCKET_TIMEOUT_MS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MS);
        return socket;
    }

    private static byte[] encode(final String... args)
    {
        final StringBuilder text = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (final String arg : args)
        {
            text.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg)
                .append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Object readReply(final InputStream in) throws IOException
    {
        final int type = in.read();
        final String line = readLine(in);
        switch (type)
        {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$':
                return readBulk(in, Integer.parseInt(line));
            case '*':
                final int count = Integer.parseInt(line);
                if (count < 0)
                {
                    return null;
                }
                final List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++)
                {
                    items.add(readReply(in));
                }
                return items;
            default:
                throw new IOException("unexpected reply type " + type);
        }
    }

    private static String readBulk(final InputStream in, final int length) throws IOException
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length != length + 2)
        {
            throw new IOException("connection closed in a bulk reply");
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r')
        {
            if (c < 0)
            {
                throw new IOException("connection closed");
            }
            line.append((char)c);
        }
        in.read();
        return line.toString();
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", ex);
        }
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    private static void deleteQuietly(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ignored)
        {
            // A temporary directory left behind harms nothing.
        }
    }
}
