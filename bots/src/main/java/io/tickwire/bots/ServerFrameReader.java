package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.tickwire.codec.CloseCodes;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads the WebSocket frames a server sends a bot (RFC 6455 section 5.2), straight from the socket's buffers: in one
 * handler, what Netty's frame decoder, UTF-8 validator, protocol handler and frame aggregator did in four, without a
 * frame object or a slice per message. A whole binary message goes to the {@link Listener} as a view of the read
 * buffer's own memory; only a frame split across reads is gathered first, into a buffer kept for that connection
 * until the frame is whole.
 * <pre>
 *   every byte checked, as a client must:
 *     RSV1-3 clear (no extension is negotiated)          mask bit clear (a server never masks)
 *     opcode 0 continuation, 1 text, 2 binary,           length in the fewest bytes, 64-bit form positive
 *       8 close, 9 ping, 10 pong; others reserved        a data message at most {@link BotGroup#MAX_PAYLOAD_LENGTH}
 *     a control frame final and at most 125 bytes        a continuation only inside a message, a new data frame only
 *     a close body empty or a valid status code             outside one
 *   a violation: {@link Listener#onBadFrame} (the bot counts it and closes with the code given), nothing more read
 *   binary (whole or reassembled) -> onBinaryMessage     close -> onCloseFrame, nothing more read
 *   text -> onUnexpectedFrame (the protocol is binary)   ping -> a pong with its payload; pong -> dropped
 * </pre>
 * Installed in place of Netty's frame decoder ({@code ws-decoder}) once the handshake completes, so the handlers
 * behind it see no frames; the bot's binary frames are written from this handler's context, past them.
 * <p>
 * Owned by the connection's event loop. Allocates nothing for a frame whole in one read.
 */
final class ServerFrameReader extends ChannelInboundHandlerAdapter
{
    /** Name of Netty's frame decoder in a WebSocket client's pipeline after the handshake; this reader replaces it. */
    static final String NETTY_DECODER_NAME = "ws-decoder";

    static final int OPCODE_CONTINUATION = 0x0;
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;

    /** Longest payload of a control frame. */
    static final int MAX_CONTROL_PAYLOAD_LENGTH = 125;

    /** Status a close frame without a body reports, as Netty's {@code CloseWebSocketFrame.statusCode()} does. */
    static final int NO_STATUS = -1;

    private static final int RSV = 0x70;
    private static final int OPCODE = 0x0F;
    private static final int LENGTH = 0x7F;
    private static final int MIN_HEADER_LENGTH = 2;
    private static final int INITIAL_GATHER_CAPACITY = 1024;

    /**
     * Where a connection's frames go; every method runs on the connection's event loop.
     */
    interface Listener
    {
        /**
         * A whole binary message.
         *
         * @param payload holds the message from index 0; valid only during the call.
         * @param length  the message's length in bytes, 0 to {@link BotGroup#MAX_PAYLOAD_LENGTH}.
         */
        void onBinaryMessage(UnsafeBuffer payload, int length);

        /**
         * A close frame.
         *
         * @param statusCode the status it carries, or {@link #NO_STATUS} for an empty body.
         */
        void onCloseFrame(int statusCode);

        /**
         * A valid frame the protocol does not use: a text message.
         */
        void onUnexpectedFrame(String kind);

        /**
         * A frame that breaks RFC 6455; the reader reads nothing more from the connection.
         *
         * @param reason    what was wrong, for the error log.
         * @param closeCode the status to close with: 1002, or 1009 for a message too long.
         */
        void onBadFrame(String reason, int closeCode);
    }

    private final Listener listener;
    private final PayloadView payloadView;
    private ChannelHandlerContext ctx;
    private ByteBuf gathered;
    private ByteBuf fragments;
    private int fragmentedOpcode = OPCODE_CONTINUATION;
    private boolean done;

    /**
     * @param listener    where the frames go.
     * @param payloadView the event loop's view that payloads are handed over in.
     */
    ServerFrameReader(final Listener listener, final PayloadView payloadView)
    {
        this.listener = listener;
        this.payloadView = payloadView;
    }

    /**
     * @return the context of this reader, from which the bot writes its frames past the handlers behind it.
     */
    ChannelHandlerContext context()
    {
        return ctx;
    }

    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        releaseBuffers();
    }

    public void channelInactive(final ChannelHandlerContext ctx)
    {
        releaseBuffers();
        ctx.fireChannelInactive();
    }

    /**
     * Ends the read here: no handler behind this reader gets a message from it, and passing the event on cost each
     * of them a pass per read (JFR: 5% of a loop's samples at 1000 bots).
     */
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        if (!(message instanceof ByteBuf))
        {
            ctx.fireChannelRead(message);
            return;
        }
        final ByteBuf in = (ByteBuf)message;
        try
        {
            read(in);
        }
        finally
        {
            in.release();
        }
    }

    /**
     * Takes the bytes of one read of the connection, whether through the pipeline or by the loop's read pass
     * ({@link BotSocketReader}), in the order they were read; keeps a copy of a frame not yet whole, and nothing of
     * {@code in}.
     */
    void read(final ByteBuf in)
    {
        if (done)
        {
            return;
        }
        if (gathered == null)
        {
            readFrames(in);
            if (!done && in.isReadable())
            {
                gathered = ctx.alloc().buffer(Math.max(INITIAL_GATHER_CAPACITY, in.readableBytes()));
                gathered.writeBytes(in);
            }
        }
        else
        {
            gathered.writeBytes(in);
            readFrames(gathered);
            if (gathered != null && !gathered.isReadable())
            {
                gathered.release();
                gathered = null;
            }
            else if (gathered != null)
            {
                gathered.discardReadBytes();
            }
        }
    }

    /**
     * @return whether the reader has read its last frame: a close frame, or one that broke the protocol.
     */
    boolean isDone()
    {
        return done;
    }

    /**
     * Reads every whole frame of {@code buffer}, leaving its reader index at the first byte of a frame not yet whole.
     */
    private void readFrames(final ByteBuf buffer)
    {
        while (!done)
        {
            final int start = buffer.readerIndex();
            final int available = buffer.readableBytes();
            if (available < MIN_HEADER_LENGTH)
            {
                return;
            }
            final int first = buffer.getUnsignedByte(start);
            final int second = buffer.getUnsignedByte(start + 1);
            final int lengthCode = second & LENGTH;
            final int headerLength = MIN_HEADER_LENGTH + (lengthCode == ClientFrames.LENGTH_16 ? Short.BYTES :
                lengthCode == ClientFrames.LENGTH_64 ? Long.BYTES : 0);
            if (!isValidHeader(first, second) || available < headerLength)
            {
                return;
            }
            final long payloadLength = lengthCode == ClientFrames.LENGTH_16 ? buffer.getUnsignedShort(start + 2) :
                lengthCode == ClientFrames.LENGTH_64 ? buffer.getLong(start + 2) : lengthCode;
            if (!isValidLength(first & OPCODE, lengthCode, payloadLength))
            {
                return;
            }
            if (available - headerLength < payloadLength)
            {
                return;
            }
            buffer.readerIndex(start + headerLength + (int)payloadLength);
            onFrame((first & ClientFrames.FIN) != 0, first & OPCODE, buffer, start + headerLength, (int)payloadLength);
        }
    }

    /**
     * @return whether the first two bytes of a frame are valid for a frame from a server; reports the violation if not.
     */
    private boolean isValidHeader(final int first, final int second)
    {
        final int opcode = first & OPCODE;
        if ((first & RSV) != 0)
        {
            return violation("reserved bits set", CloseCodes.PROTOCOL_ERROR);
        }
        if ((second & ClientFrames.MASK_BIT) != 0)
        {
            return violation("masked frame from the server", CloseCodes.PROTOCOL_ERROR);
        }
        if (opcode >= OPCODE_CLOSE)
        {
            if (opcode > OPCODE_PONG)
            {
                return violation("reserved control opcode " + opcode, CloseCodes.PROTOCOL_ERROR);
            }
            if ((first & ClientFrames.FIN) == 0)
            {
                return violation("fragmented control frame", CloseCodes.PROTOCOL_ERROR);
            }
            return true;
        }
        if (opcode > OPCODE_BINARY)
        {
            return violation("reserved data opcode " + opcode, CloseCodes.PROTOCOL_ERROR);
        }
        if (opcode == OPCODE_CONTINUATION && fragmentedOpcode == OPCODE_CONTINUATION)
        {
            return violation("continuation outside a fragmented message", CloseCodes.PROTOCOL_ERROR);
        }
        if (opcode != OPCODE_CONTINUATION && fragmentedOpcode != OPCODE_CONTINUATION)
        {
            return violation("new message inside a fragmented one", CloseCodes.PROTOCOL_ERROR);
        }
        return true;
    }

    /**
     * @return whether a frame's payload length is encoded in the fewest bytes and within the limits of its kind;
     * reports the violation if not.
     */
    private boolean isValidLength(final int opcode, final int lengthCode, final long payloadLength)
    {
        if ((lengthCode == ClientFrames.LENGTH_16 && payloadLength <= ClientFrames.MAX_SHORT_LENGTH) ||
            (lengthCode == ClientFrames.LENGTH_64 && payloadLength <= 0xFFFF))
        {
            return violation("length not in the fewest bytes", CloseCodes.PROTOCOL_ERROR);
        }
        if (opcode >= OPCODE_CLOSE && payloadLength > MAX_CONTROL_PAYLOAD_LENGTH)
        {
            return violation("control frame of " + payloadLength + " bytes", CloseCodes.PROTOCOL_ERROR);
        }
        final long messageLength = payloadLength + (fragments == null ? 0 : fragments.readableBytes());
        if (payloadLength < 0 || messageLength > BotGroup.MAX_PAYLOAD_LENGTH)
        {
            return violation(
                "message longer than " + BotGroup.MAX_PAYLOAD_LENGTH + " bytes", CloseCodes.MESSAGE_TOO_BIG);
        }
        return true;
    }

    private void onFrame(final boolean fin, final int opcode, final ByteBuf buffer, final int index, final int length)
    {
        switch (opcode)
        {
            case OPCODE_BINARY:
            case OPCODE_TEXT:
            case OPCODE_CONTINUATION:
                onDataFrame(fin, opcode, buffer, index, length);
                break;

            case OPCODE_CLOSE:
                onCloseFrame(buffer, index, length);
                break;

            case OPCODE_PING:
                final UnsafeBuffer payload = payloadView.wrap(buffer, index, length);
                ctx.writeAndFlush(ClientFrames.masked(ctx.alloc(), OPCODE_PONG, payload, length), ctx.voidPromise());
                break;

            default:
                break;
        }
    }

    private void onDataFrame(
        final boolean fin, final int opcode, final ByteBuf buffer, final int index, final int length)
    {
        final int messageOpcode = opcode == OPCODE_CONTINUATION ? fragmentedOpcode : opcode;
        if (messageOpcode == OPCODE_TEXT)
        {
            if (opcode == OPCODE_TEXT)
            {
                listener.onUnexpectedFrame("text frame");
            }
        }
        else if (fin && fragments == null)
        {
            listener.onBinaryMessage(payloadView.wrap(buffer, index, length), length);
        }
        else
        {
            if (fragments == null)
            {
                fragments = ctx.alloc().buffer(Math.max(INITIAL_GATHER_CAPACITY, length));
            }
            fragments.writeBytes(buffer, index, length);
            if (fin)
            {
                final ByteBuf message = fragments;
                fragments = null;
                try
                {
                    listener.onBinaryMessage(
                        payloadView.wrap(message, message.readerIndex(), message.readableBytes()),
                        message.readableBytes());
                }
                finally
                {
                    message.release();
                }
            }
        }
        fragmentedOpcode = fin ? OPCODE_CONTINUATION : messageOpcode;
    }

    private void onCloseFrame(final ByteBuf buffer, final int index, final int length)
    {
        if (length == 1)
        {
            violation("close frame body of 1 byte", CloseCodes.PROTOCOL_ERROR);
            return;
        }
        final int statusCode = length == 0 ? NO_STATUS : buffer.getUnsignedShort(index);
        if (length > 0 && !WebSocketCloseStatus.isValidStatusCode(statusCode))
        {
            violation("close status " + statusCode, CloseCodes.PROTOCOL_ERROR);
            return;
        }
        done = true;
        releaseBuffers();
        listener.onCloseFrame(statusCode);
    }

    /**
     * Stops reading, releases what was gathered, and reports the violation.
     *
     * @return false, for the check that found it.
     */
    private boolean violation(final String reason, final int closeCode)
    {
        done = true;
        releaseBuffers();
        listener.onBadFrame(reason, closeCode);
        return false;
    }

    private void releaseBuffers()
    {
        if (gathered != null)
        {
            gathered.release();
            gathered = null;
        }
        if (fragments != null)
        {
            fragments.release();
            fragments = null;
        }
    }
}
