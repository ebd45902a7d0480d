package io.tickwire.net;

import io.tickwire.api.schema.MessageType;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal protocol client for live tests, on the JDK's WebSocket client: joins (or resumes) a room and records the
 * welcomes, notices, room messages, the number of snapshots and the close status it receives; sends text messages.
 * Reads everything the server sends.
 */
final class WsTestClient implements WebSocket.Listener
{
    final List<Notice> notices = new CopyOnWriteArrayList<>();
    final List<Welcome> welcomes = new CopyOnWriteArrayList<>();
    final AtomicInteger snapshots = new AtomicInteger();
    /** Room MESSAGEs received, whole, in order. */
    final List<byte[]> roomMessages = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();

    private final ControlCodec controlCodec = new ControlCodec();
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private WebSocket socket;

    static WsTestClient connect(final URI uri) throws Exception
    {
        return connect(uri, new String[0]);
    }

    /**
     * Connects offering {@code tickwire.v2} and then {@code moreProtocols} (a reservation, a token).
     */
    static WsTestClient connect(final URI uri, final String... moreProtocols) throws Exception
    {
        final WsTestClient client = new WsTestClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .subprotocols(WireFormat.SUBPROTOCOL, moreProtocols)
            .buildAsync(uri, client).get(5, TimeUnit.SECONDS);
        return client;
    }

    /**
     * Sends a JOIN of room {@code name} of {@code type}, created when absent.
     */
    WsTestClient join(final String type, final String name) throws Exception
    {
        return send(new JoinRequest(type, JoinRequest.MODE_NAMED, name, "tester", Map.of()));
    }

    /**
     * Sends a JOIN of any mode, a RESUME too.
     */
    WsTestClient send(final JoinRequest join) throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
        final int length = controlCodec.encode(join, buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
        return this;
    }

    /**
     * Sends a client MESSAGE of {@code type} with one text field set (the others at their minimum), acknowledging
     * no snapshot.
     *
     * @param messageSeq 1 for the connection's first message, then one more each.
     */
    WsTestClient sendText(final MessageType type, final int messageSeq, final String field, final String text)
        throws Exception
    {
        final MessageEncoder encoder = new MessageEncoder().begin(type).putText(type.indexOf(field), text);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[encoder.clientMessageLength()]);
        encoder.encodeClientMessage(buffer, 0, 0, messageSeq);
        socket.sendBinary(ByteBuffer.wrap(buffer.byteArray()), true).get(5, TimeUnit.SECONDS);
        return this;
    }

    /**
     * @return the code of the last notice received, or -1.
     */
    int lastNoticeCode()
    {
        return notices.isEmpty() ? -1 : notices.get(notices.size() - 1).code();
    }

    void abort()
    {
        socket.abort();
    }

    public CompletionStage<?> onBinary(final WebSocket webSocket, final ByteBuffer data, final boolean last)
    {
        final byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        message.writeBytes(bytes);
        if (last)
        {
            final byte[] whole = message.toByteArray();
            message.reset();
            if (whole[0] == WireFormat.TYPE_NOTICE)
            {
                notices.add((Notice)controlCodec.decode(new UnsafeBuffer(whole), 0, whole.length));
            }
            else if (whole[0] == WireFormat.TYPE_WELCOME)
            {
                welcomes.add((Welcome)controlCodec.decode(new UnsafeBuffer(whole), 0, whole.length));
            }
            else if (whole[0] == WireFormat.TYPE_ROOM_MESSAGE)
            {
                roomMessages.add(whole);
            }
            else if (whole[0] == WireFormat.TYPE_SNAPSHOT)
            {
                snapshots.incrementAndGet();
            }
        }
        webSocket.request(1);
        return null;
    }

    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
    {
        closeStatus.complete(statusCode);
        return null;
    }

    public void onError(final WebSocket webSocket, final Throwable error)
    {
        closeStatus.completeExceptionally(error);
    }
}
