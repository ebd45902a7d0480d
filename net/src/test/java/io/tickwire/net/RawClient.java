package io.tickwire.net;

import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare protocol client for the live tests, on the JDK's WebSocket: sends a join, and queues what it receives in
 * order, as far as a test needs it: WELCOMEs and NOTICEs decoded, the close with its status code, errors. Snapshots
 * and stream messages are counted, not decoded. Events arrive on the JDK client's thread; the test takes them from
 * the queue with a timeout.
 */
final class RawClient implements WebSocket.Listener, AutoCloseable
{
    /** The server closed the connection with this status code and reason. */
    record Closed(int statusCode, String reason)
    {
    }

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ControlCodec codec = new ControlCodec();
    private final WebSocket webSocket;
    private volatile long snapshots;

    private RawClient(final URI url) throws Exception
    {
        webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
            .subprotocols(WireFormat.SUBPROTOCOL)
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(url, this)
            .get(5, TimeUnit.SECONDS);
    }

    static RawClient connect(final URI url) throws Exception
    {
        return new RawClient(url);
    }

    /**
     * Sends a join by name.
     */
    void join(final String roomType, final String room, final String player) throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
        final int length = codec.encode(JoinRequest.named(roomType, room, player), buffer, 0);
        webSocket.sendBinary(ByteBuffer.wrap(buffer.byteArray(), 0, length), true).get(5, TimeUnit.SECONDS);
    }

    /**
     * @return the next WELCOME, NOTICE, {@link Closed} or error, waiting at most {@code timeout}; null if none came.
     */
    Object next(final Duration timeout) throws InterruptedException
    {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long snapshots()
    {
        return snapshots;
    }

    public void onOpen(final WebSocket webSocket)
    {
        webSocket.request(1);
    }

    public CompletionStage<?> onBinary(final WebSocket webSocket, final ByteBuffer data, final boolean last)
    {
        final byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partial.write(bytes, 0, bytes.length);
        if (last)
        {
            final byte[] message = partial.toByteArray();
            partial.reset();
            if (message.length > 0 && (message[0] == WireFormat.TYPE_WELCOME || message[0] == WireFormat.TYPE_NOTICE))
            {
                events.add(codec.decode(new UnsafeBuffer(message), 0, message.length));
            }
            else if (message.length > 0 && message[0] == WireFormat.TYPE_SNAPSHOT)
            {
                snapshots++;
            }
        }
        webSocket.request(1);
        return null;
    }

    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
    {
        events.add(new Closed(statusCode, reason));
        return null;
    }

    public void onError(final WebSocket webSocket, final Throwable error)
    {
        events.add(error);
    }

    public void close()
    {
        webSocket.abort();
    }
}
