package io.tickwire.net;

import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A WebSocket client on a plain blocking socket, for tests of clients that misbehave at the TCP level: it completes
 * the handshake and sends a JOIN, and from then on reads only when the test asks it to.
 */
final class RawWsClient implements AutoCloseable
{
    private final Socket socket = new Socket();
    private final ControlCodec controlCodec = new ControlCodec();
    private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();

    /**
     * Connects, upgrades to the protocol's subprotocol and checks the 101.
     *
     * @param receiveBufferBytes the socket's receive buffer, set before connecting: how much the client's kernel
     *                           takes in for it when it does not read.
     */
    RawWsClient(final int port, final int receiveBufferBytes) throws IOException
    {
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        final String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n" +
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Protocol: " + WireFormat.SUBPROTOCOL + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        final ByteArrayOutputStream response = new ByteArrayOutputStream();
        final InputStream in = socket.getInputStream();
        while (!response.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("closed during the handshake: " + response);
            }
            response.write(b);
        }
        if (!response.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"))
        {
            throw new IOException("handshake refused: " + response);
        }
    }

    /**
     * Sends a JOIN of room {@code name} of {@code type} as one masked binary frame.
     */
    void join(final String type, final String name) throws IOException
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
        final int length = controlCodec.encode(
            new JoinRequest(type, JoinRequest.MODE_NAMED, name, "raw", Map.of()), buffer, 0);
        final byte[] mask = {0x11, 0x22, 0x33, 0x44};
        final byte[] frame = new byte[2 + mask.length + length];
        frame[0] = (byte)0x82;
        frame[1] = (byte)(0x80 | length);
        System.arraycopy(mask, 0, frame, 2, mask.length);
        for (int i = 0; i < length; i++)
        {
            frame[6 + i] = (byte)(buffer.getByte(i) ^ mask[i & 3]);
        }
        final OutputStream out = socket.getOutputStream();
        out.write(frame);
        out.flush();
    }

    /**
     * Sends {@code payload} as one masked frame with first byte {@code finAndOpcode}, without flushing: frames sent
     * this way leave together at the next {@link #flush()}.
     */
    void frame(final int finAndOpcode, final byte[] payload) throws IOException
    {
        if (payload.length > 125)
        {
            throw new IllegalArgumentException("short frames only: " + payload.length);
        }
        final byte[] mask = {0x11, 0x22, 0x33, 0x44};
        final byte[] frame = new byte[2 + mask.length + payload.length];
        frame[0] = (byte)finAndOpcode;
        frame[1] = (byte)(0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, mask.length);
        for (int i = 0; i < payload.length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i & 3]);
        }
        buffered.write(frame);
    }

    void flush() throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        buffered.writeTo(out);
        buffered.reset();
        out.flush();
    }

    /**
     * Reads one whole server frame (unmasked, with a payload of at most 125 bytes).
     *
     * @return its first byte (FIN and opcode) followed by its payload.
     */
    byte[] readFrame() throws IOException
    {
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final int finAndOpcode = in.readUnsignedByte();
        final int length = in.readUnsignedByte();
        if (length > 125)
        {
            throw new IOException("short frames only: " + length);
        }
        final byte[] frame = new byte[1 + length];
        frame[0] = (byte)finAndOpcode;
        in.readFully(frame, 1, length);
        return frame;
    }

    /**
     * Ends the stream towards the server (a FIN) and keeps reading.
     */
    void shutdownOutput() throws IOException
    {
        socket.shutdownOutput();
    }

    /**
     * Reads until the server closes the connection.
     *
     * @return the bytes read, up to the end of the stream or a reset.
     */
    byte[] readToEnd() throws IOException
    {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        try
        {
            readToCleanEnd(all);
        }
        catch (final SocketException reset)
        {
            return all.toByteArray();
        }
        return all.toByteArray();
    }

    /**
     * Reads into {@code all} until the server ends the stream.
     *
     * @throws SocketException when the server reset the connection instead (what was read before is in {@code all}).
     */
    void readToCleanEnd(final ByteArrayOutputStream all) throws IOException
    {
        final byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = socket.getInputStream().read(chunk)) >= 0)
        {
            all.write(chunk, 0, n);
        }
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
