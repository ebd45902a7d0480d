package io.tickwire.net.pipeline;

import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.tickwire.io.SocketReadPass;

/**
 * The event loop's short way for the one frame a game client sends many times a second: a whole, masked binary
 * frame (FIN set, opcode 2, no reserved bits, minimal length encoding, a payload of at most
 * {@code maxFastPayloadBytes}) that lies complete in one read. Such a frame is charged to the {@link FrameGuard}'s
 * budget like any other, unmasked in place in the read buffer, and handed to the {@link Sink} as an index and a length
 * into that buffer: no frame object, no copy of the payload, no pass through the handlers between here and the
 * sink. Every other byte (control frames, text, fragmented messages, frames split across reads, anything malformed)
 * goes on, in order and unchanged, to Netty's frame decoder behind this handler, which checks it as before.
 * <p>
 * To know where frames start, this handler reads every frame header, including those of the frames it passes on:
 * the decoder always receives whole frames' worth of bytes from a frame boundary, so it is at the start of a frame
 * whenever a frame is taken here. A header split across reads is passed on as it arrives, and so is the rest of its
 * frame. After a close frame, or a frame longer than {@link Integer#MAX_VALUE} bytes, everything is passed on: the
 * decoder then discards what follows, or has found the violation. While a fragmented message is open, its frames
 * and any binary frame go to the decoder, which refuses an interleaved data frame as before.
 * <p>
 * It is added when the WebSocket handshake completes ({@link #install}), between the frame encoder and the frame
 * decoder. A client must not send frames before it has the server's handshake response (RFC 6455, section 4.1);
 * bytes that arrive with the upgrade request reach the decoder before this handler exists. One instance per channel,
 * on its event loop.
 */
public final class BinaryFrameFastPath extends ChannelInboundHandlerAdapter
{
    /**
     * Takes the payload of a whole binary frame, on the event loop, while this handler holds the read buffer.
     */
    public interface Sink
    {
        /**
         * @param sinkContext the context of the sink's own handler.
         * @param buffer      the read buffer; the payload, already unmasked, is {@code buffer[index, index + length)}.
         *                    Valid only during the call: copy what must outlive it.
         */
        void onBinaryMessage(ChannelHandlerContext sinkContext, ByteBuf buffer, int index, int length);
    }

    /** The name of this handler in the pipeline. */
    public static final String NAME = "binary-fast-path";
    /** The name Netty gives the frame decoder at the handshake. */
    static final String DECODER_NAME = "wsdecoder";

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int BASE_HEADER_BYTES = 2;
    private static final int MASK_BYTES = 4;
    private static final int MAX_HEADER_BYTES = BASE_HEADER_BYTES + Long.BYTES + MASK_BYTES;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;

    private final int maxFastPayloadBytes;
    private final FrameGuard guard;
    private final ChannelHandlerContext guardContext;
    private final Sink sink;
    private final ChannelHandlerContext sinkContext;
    private final byte[] splitHeader = new byte[MAX_HEADER_BYTES];
    private int splitHeaderBytes;
    /** Bytes of the frame being passed on that are still to come. */
    private long passingBytes;
    private boolean fragmentedMessageOpen;
    /** Everything from here on goes to the decoder. */
    private boolean passingAll;
    private int takenHeaderBytes;
    private boolean passedSinceReadComplete;
    private boolean readThroughPipeline;
    private int takenPayloadBytes;

    private BinaryFrameFastPath(
        final int maxFastPayloadBytes, final FrameGuard guard, final ChannelHandlerContext guardContext,
        final Sink sink, final ChannelHandlerContext sinkContext)
    {
        this.maxFastPayloadBytes = maxFastPayloadBytes;
        this.guard = guard;
        this.guardContext = guardContext;
        this.sink = sink;
        this.sinkContext = sinkContext;
    }

    /**
     * Adds the fast path in front of Netty's frame decoder, then has {@code pass} read the connection
     * ({@link SocketReader#attach}, which takes the idle timer out of the pipeline) or, when there is no pass or it
     * does not take the connection, moves the idle timer in front of the fast path, where it sees every byte read:
     * frames taken here never reach the handlers behind the decoder. A connection the pass takes gets no new timer
     * only for it to be removed. Call once the handshake is complete (on {@code HandshakeComplete}), on the event
     * loop.
     *
     * @param sinkName  the pipeline name of the handler that implements {@link Sink}.
     * @param idleName  the pipeline name of the idle timer.
     * @param idleTimer makes a new idle timer to put in its place (a removed one cannot be added again).
     * @param pass      the event loop's read pass; null when the loop has none.
     * @return whether the pass reads the connection.
     */
    public static boolean install(
        final ChannelPipeline pipeline, final int maxFastPayloadBytes, final String sinkName, final String idleName,
        final Supplier<? extends IdleStateHandler> idleTimer, final SocketReadPass pass)
    {
        final ChannelHandlerContext guardContext = pipeline.context(FrameGuard.class);
        final ChannelHandlerContext sinkContext = pipeline.context(sinkName);
        pipeline.addBefore(DECODER_NAME, NAME, new BinaryFrameFastPath(maxFastPayloadBytes,
            (FrameGuard)guardContext.handler(), guardContext, (Sink)sinkContext.handler(), sinkContext));
        if (pass != null && SocketReader.attach(pass, pipeline, idleName, idleTimer))
        {
            return true;
        }
        pipeline.remove(idleName);
        pipeline.addBefore(NAME, idleName, idleTimer.get());
        return false;
    }

    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        readThroughPipeline = true;
        if (passingAll || !(msg instanceof ByteBuf))
        {
            passedSinceReadComplete = true;
            ctx.fireChannelRead(msg);
            return;
        }
        final ByteBuf in = (ByteBuf)msg;
        try
        {
            read(ctx, in, false);
        }
        finally
        {
            in.release();
        }
    }

    /**
     * Takes the bytes of one read done outside the pipeline, by the loop's {@link io.tickwire.io.SocketReadPass}, as
     * {@link #channelRead} takes a read buffer, except that the caller keeps {@code in}: what goes on to the decoder
     * is a copy (rare: control frames, frames split across reads), so no handler holds on to the pass's buffer.
     */
    public void readDirect(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        if (passingAll)
        {
            passOn(ctx, in, in.readerIndex(), in.writerIndex(), true);
            return;
        }
        read(ctx, in, true);
    }

    /**
     * @return whether every byte from here on goes to the decoder: the fast path is over for this connection.
     */
    boolean isPassingAll()
    {
        return passingAll;
    }

    /**
     * @return whether Netty's read path brought bytes here since the last call: Netty reads a connection the
     * {@link io.tickwire.io.SocketReadPass} reads when a handler asks for a read (Netty's ping handling and decoders
     * do), and on the peer's end of stream.
     */
    boolean takeReadThroughPipeline()
    {
        final boolean read = readThroughPipeline;
        readThroughPipeline = false;
        return read;
    }

    /**
     * Walks {@code in} frame by frame: runs of bytes to pass on are gathered and passed as one buffer, right before
     * the next frame taken here, so the order of frames is kept.
     *
     * @param copyPassed pass copies of the bytes instead of retained slices of {@code in}: the read pass reuses its
     *                   buffer, and a slice a decoder kept (a frame's start) would pin all of it.
     */
    private void read(final ChannelHandlerContext ctx, final ByteBuf in, final boolean copyPassed)
    {
        final int end = in.writerIndex();
        int index = in.readerIndex();
        int passFrom = index;
        while (index < end && !passingAll)
        {
            if (passingBytes > 0)
            {
                final int passed = (int)Math.min(passingBytes, end - index);
                passingBytes -= passed;
                index += passed;
            }
            else if (splitHeaderBytes > 0)
            {
                index = continueSplitHeader(in, index, end);
            }
            else
            {
                final int taken = measure(in, index, end);
                if (taken > 0)
                {
                    passOn(ctx, in, passFrom, index, copyPassed);
                    deliver(in, index);
                    index += taken;
                    passFrom = index;
                }
                else
                {
                    index += -taken;
                }
            }
        }
        passOn(ctx, in, passFrom, end, copyPassed);
    }

    /**
     * At a frame boundary: finds whether the frame at {@code index} is a whole binary frame for the sink, or how much
     * of it to pass on.
     *
     * @return the frame's length when it is to be taken (its header and payload lengths are then in
     * {@link #takenHeaderBytes} and {@link #takenPayloadBytes}), or minus the number of bytes to pass on (at least
     * one).
     */
    private int measure(final ByteBuf in, final int index, final int end)
    {
        final int available = end - index;
        final int headerBytes = available < BASE_HEADER_BYTES ? MAX_HEADER_BYTES : headerLength(in.getByte(index + 1));
        if (available < headerBytes)
        {
            in.getBytes(index, splitHeader, 0, available);
            splitHeaderBytes = available;
            return -available;
        }
        final int first = in.getByte(index);
        final int second = in.getByte(index + 1);
        final long payloadBytes = payloadLength(in, index, second);
        final long frameBytes = headerBytes + payloadBytes;
        if (isFast(first, second, payloadBytes) && frameBytes <= available)
        {
            takenHeaderBytes = headerBytes;
            takenPayloadBytes = (int)payloadBytes;
            return (int)frameBytes;
        }
        onPassedFrame(first, payloadBytes);
        if (passingAll)
        {
            return -available;
        }
        final int passedNow = (int)Math.min(frameBytes, available);
        passingBytes = frameBytes - passedNow;
        return -passedNow;
    }

    /**
     * Unmasks the frame just measured at {@code index}, charges it to the budget and hands its payload to the sink.
     */
    private void deliver(final ByteBuf in, final int index)
    {
        final int payloadIndex = index + takenHeaderBytes;
        unmask(in, payloadIndex, takenPayloadBytes, in.getInt(payloadIndex - MASK_BYTES));
        if (guard.admit(guardContext))
        {
            sink.onBinaryMessage(sinkContext, in, payloadIndex, takenPayloadBytes);
        }
    }

    /**
     * Adds the bytes of a header split across reads to what came before; once whole, learns how long its frame is.
     * The header's bytes are passed on as they come (the decoder holds the frame's start), and so is the frame.
     *
     * @return the index after the bytes consumed.
     */
    private int continueSplitHeader(final ByteBuf in, final int index, final int end)
    {
        final int headerBytes = headerLength(splitHeaderBytes == 1 ? in.getByte(index) : splitHeader[1]);
        final int copied = Math.min(headerBytes - splitHeaderBytes, end - index);
        in.getBytes(index, splitHeader, splitHeaderBytes, copied);
        splitHeaderBytes += copied;
        if (splitHeaderBytes == headerBytes)
        {
            final long payloadBytes = payloadLength(splitHeader, splitHeader[1]);
            onPassedFrame(splitHeader[0], payloadBytes);
            passingBytes = passingAll ? 0 : payloadBytes;
            splitHeaderBytes = 0;
        }
        return index + copied;
    }

    /**
     * Follows what the decoder sees: a close frame ends the fast path (the decoder discards what follows), a frame
     * too long to follow ends it too (the decoder refuses it), and a text or binary frame without FIN opens a
     * fragmented message that a final continuation frame closes.
     */
    private void onPassedFrame(final int first, final long payloadBytes)
    {
        final int opcode = first & 0x0F;
        final boolean fin = (first & 0x80) != 0;
        if (opcode == OPCODE_CLOSE || payloadBytes < 0 || payloadBytes > Integer.MAX_VALUE)
        {
            passingAll = true;
        }
        else if ((opcode == OPCODE_TEXT || opcode == OPCODE_BINARY) && !fin)
        {
            fragmentedMessageOpen = true;
        }
        else if (opcode == OPCODE_CONTINUATION && fin)
        {
            fragmentedMessageOpen = false;
        }
    }

    private boolean isFast(final int first, final int second, final long payloadBytes)
    {
        return (first & 0xFF) == (0x80 | OPCODE_BINARY) && (second & 0x80) != 0 && !fragmentedMessageOpen &&
            payloadBytes <= maxFastPayloadBytes && isMinimalLength(second & 0x7F, payloadBytes);
    }

    private static boolean isMinimalLength(final int length7, final long payloadBytes)
    {
        return length7 < LENGTH_16 || (length7 == LENGTH_16 && payloadBytes >= LENGTH_16) ||
            (length7 == LENGTH_64 && payloadBytes > 0xFFFF);
    }

    /**
     * @return the header's length in bytes, from its second byte: the length code and the mask bit.
     */
    private static int headerLength(final int second)
    {
        final int length7 = second & 0x7F;
        final int extended = length7 == LENGTH_16 ? Short.BYTES : length7 == LENGTH_64 ? Long.BYTES : 0;
        return BASE_HEADER_BYTES + extended + ((second & 0x80) != 0 ? MASK_BYTES : 0);
    }

    private static long payloadLength(final ByteBuf in, final int index, final int second)
    {
        final int length7 = second & 0x7F;
        return length7 == LENGTH_16 ? in.getUnsignedShort(index + BASE_HEADER_BYTES) :
            length7 == LENGTH_64 ? in.getLong(index + BASE_HEADER_BYTES) : length7;
    }

    private static long payloadLength(final byte[] header, final int second)
    {
        final int length7 = second & 0x7F;
        long length = length7;
        if (length7 == LENGTH_16 || length7 == LENGTH_64)
        {
            length = 0;
            for (int i = 0, bytes = length7 == LENGTH_16 ? Short.BYTES : Long.BYTES; i < bytes; i++)
            {
                length = (length << Byte.SIZE) | (header[BASE_HEADER_BYTES + i] & 0xFF);
            }
        }
        return length;
    }

    /**
     * XORs {@code buffer[index, index + length)} with the frame's masking key (big-endian, as on the wire).
     */
    private static void unmask(final ByteBuf buffer, final int index, final int length, final int mask)
    {
        final int end = index + length;
        int i = index;
        for (; i + Integer.BYTES <= end; i += Integer.BYTES)
        {
            buffer.setInt(i, buffer.getInt(i) ^ mask);
        }
        for (int shift = 24; i < end; i++, shift -= Byte.SIZE)
        {
            buffer.setByte(i, buffer.getByte(i) ^ (mask >>> shift));
        }
    }

    /**
     * Passes the end of a read on only when bytes were passed on since the last one: the handlers behind have
     * nothing to finish after a read whose frames were all taken here (the decoder would only ask for another read,
     * which the {@link ReadDriver} asks for unless the connection's reading is paused).
     */
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        if (passedSinceReadComplete || passingAll)
        {
            passedSinceReadComplete = false;
            ctx.fireChannelReadComplete();
        }
    }

    private void passOn(
        final ChannelHandlerContext ctx, final ByteBuf in, final int from, final int to, final boolean copy)
    {
        if (to > from)
        {
            passedSinceReadComplete = true;
            final int length = to - from;
            ctx.fireChannelRead(copy ? ctx.alloc().buffer(length).writeBytes(in, from, length) :
                in.retainedSlice(from, length));
        }
    }
}
