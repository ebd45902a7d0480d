package io.tickwire.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP client for the live tests that need bytes an HTTP client would not send: writes a request (ignoring a
 * write the server cut short), then reads until the server closes, for at most {@link #READ_TIMEOUT_MS}.
 */
final class RawHttp
{
    static final int READ_TIMEOUT_MS = 5_000;

    private RawHttp()
    {
    }

    /**
     * The server's answer and how the connection ended.
     *
     * @param response what the server wrote, as ISO-8859-1 text.
     * @param closed   whether the server closed the connection (end of stream or reset) within the timeout.
     */
    record Answer(String response, boolean closed)
    {
    }

    static Answer exchange(final int port, final byte[] request) throws IOException
    {
        try (Socket socket = connect(port))
        {
            try
            {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            }
            catch (final SocketException ex)
            {
                // the server refused before reading everything: its answer is still readable
            }
            return readUntilClosed(socket);
        }
    }

    static Socket connect(final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return socket;
    }

    /**
     * @return what arrives until the server closes the connection, or until the read timeout (then not closed).
     */
    static Answer readUntilClosed(final Socket socket) throws IOException
    {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final InputStream in = socket.getInputStream();
        final byte[] chunk = new byte[4096];
        boolean closed = false;
        try
        {
            int read;
            while ((read = in.read(chunk)) >= 0)
            {
                received.write(chunk, 0, read);
            }
            closed = true;
        }
        catch (final java.net.SocketTimeoutException ex)
        {
            closed = false;
        }
        catch (final SocketException ex)
        {
            closed = true; // reset: the server closed with our bytes unread
        }
        return new Answer(received.toString(StandardCharsets.ISO_8859_1), closed);
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
