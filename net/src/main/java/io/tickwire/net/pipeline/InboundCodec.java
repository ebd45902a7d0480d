package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.tickwire.api.GameType;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.PongFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.io.NativeAddress;
import io.tickwire.sim.InputValues;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The decoding state of one event loop thread: a view over the received bytes, the client message flyweight, the
 * control codec, and the input and message codecs of each game type its connections joined. One per thread, so
 * decoding allocates nothing and needs no lock.
 */
final class InboundCodec
{
    private static final FastThreadLocal<InboundCodec> PER_THREAD = new FastThreadLocal<>()
    {
        protected InboundCodec initialValue()
        {
            return new InboundCodec();
        }
    };

    final ClientMessageFlyweight message = new ClientMessageFlyweight();
    final ControlCodec controlCodec = new ControlCodec();
    final PongFlyweight pong = new PongFlyweight();
    final UnsafeBuffer controlBuffer = new UnsafeBuffer(new byte[512]);
    final InputValues inputValues = new InputValues();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final byte[] copy = new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH];
    private final Map<GameType, InputCodec> inputCodecs = new IdentityHashMap<>();
    private final Map<GameType, MessageCodec> messageCodecs = new IdentityHashMap<>();

    static InboundCodec current()
    {
        return PER_THREAD.get();
    }

    /**
     * @return this thread's input codec of {@code type}, made at the first join of the type here (not per input).
     */
    InputCodec inputCodec(final GameType type)
    {
        return inputCodecs.computeIfAbsent(type, joined -> new InputCodec(joined.inputSchema()));
    }

    /**
     * @return this thread's message codec of {@code type}, made at the first join of the type here (not per message).
     */
    MessageCodec messageCodec(final GameType type)
    {
        return messageCodecs.computeIfAbsent(type, MessageCodec::new);
    }

    /**
     * Points {@link #message} at {@code buffer[index, index + length)}, without copying when the buffer exposes its
     * memory. The caller checked the length is at most {@link WireFormat#MAX_CLIENT_MESSAGE_LENGTH}.
     */
    ClientMessageFlyweight wrap(final ByteBuf buffer, final int index, final int length)
    {
        if (NativeAddress.has(buffer))
        {
            view.wrap(NativeAddress.of(buffer, index, length), length);
        }
        else
        {
            buffer.getBytes(index, copy, 0, length);
            view.wrap(copy, 0, length);
        }
        return message.wrap(view, 0, length);
    }
}
