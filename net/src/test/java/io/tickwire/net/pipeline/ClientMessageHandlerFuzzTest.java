package io.tickwire.net.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.net.NetCounters;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import io.tickwire.testsupport.Mutations;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client message handler as a whole, fuzzed through an {@link EmbeddedChannel}: a session of binary frames, each
 * a valid client message (JOIN, INPUT, MESSAGE, ACK, PING, LEAVE) or a mutation of one, or arbitrary bytes. Whatever
 * arrives: no exception escapes (one would close the channel without a close frame), a connection that is closed
 * got exactly one close frame, with a code the protocol gives for what happened, and nothing after it; a violation
 * is counted; what reaches the ring is in range; and every inbound buffer is released.
 */
class ClientMessageHandlerFuzzTest
{
    private static final Set<Integer> CLOSE_CODES = Set.of(CloseCodes.NORMAL, CloseCodes.PROTOCOL_ERROR,
        CloseCodes.POLICY_VIOLATION, CloseCodes.TRY_AGAIN_LATER);
    private static final List<byte[]> SEEDS = seeds();

    @Property(tries = 1000)
    void anySessionOfFramesGetsOneCloseWithTheRightCodeAndLeaksNothing(
        @ForAll("sessions") final List<byte[]> messages)
    {
        final NetCounters counters = new NetCounters();
        final InputRing ring = new InputRing(16);
        final EmbeddedChannel channel = ClientMessageHandlerTest.handshaken(
            new ClientMessageHandler(ClientMessageHandlerTest.gateway(ring, counters)));
        final List<ByteBuf> inbound = new ArrayList<>();
        for (final byte[] message : messages)
        {
            if (!channel.isActive())
            {
                break;
            }
            final ByteBuf content = Unpooled.directBuffer(message.length).writeBytes(message);
            inbound.add(content);
            channel.writeInbound(new BinaryWebSocketFrame(content));
            drainAndCheck(ring);
        }

        final int closeCode = readOutbound(channel);
        if (channel.isActive())
        {
            assertEquals(-1, closeCode, "an open connection got no close frame");
            assertEquals(0, counters.invalidMessagesTotal());
        }
        else
        {
            assertTrue(CLOSE_CODES.contains(closeCode), "closed with exactly one close frame, code " + closeCode);
            assertEquals(closeCode == CloseCodes.PROTOCOL_ERROR || closeCode == CloseCodes.POLICY_VIOLATION ? 1 : 0,
                counters.invalidMessagesTotal(), "a violation is counted, once");
        }
        Statistics.label("closed with").collect(closeCode);
        Statistics.label("closed with").coverage(coverage ->
        {
            coverage.check(-1).percentage(p -> p > 5);
            coverage.check(CloseCodes.PROTOCOL_ERROR).percentage(p -> p > 20);
        });

        channel.finishAndReleaseAll();
        for (final ByteBuf content : inbound)
        {
            assertEquals(0, content.refCnt(), "every inbound buffer released");
        }
    }

    /**
     * Sessions of 1 to 8 messages that mostly start with a valid JOIN, so the rest reach the joined state.
     */
    @Provide
    Arbitrary<List<byte[]>> sessions()
    {
        final Arbitrary<byte[]> seed = Arbitraries.of(SEEDS);
        final Arbitrary<byte[]> mutated = seed.flatMap(message ->
            Arbitraries.longs().map(random -> Mutations.mutate(new SplittableRandom(random), message)));
        final Arbitrary<byte[]> anything =
            Arbitraries.bytes().array(byte[].class).ofMaxSize(WireFormat.MAX_CLIENT_MESSAGE_LENGTH + 8);
        final Arbitrary<byte[]> message = Arbitraries.frequencyOf(
            Tuple.of(5, seed), Tuple.of(4, mutated), Tuple.of(1, anything));
        final Arbitrary<List<byte[]>> rest = message.list().ofMinSize(0).ofMaxSize(7);
        return Arbitraries.frequencyOf(
            Tuple.of(4, rest.map(tail -> prepend(SEEDS.get(0), tail))),
            Tuple.of(1, message.list().ofMinSize(1).ofMaxSize(8)));
    }

    /**
     * @return the first close frame's code, or -1 without one; fails on a second close frame or anything after one.
     */
    private static int readOutbound(final EmbeddedChannel channel)
    {
        int closeCode = -1;
        Object frame;
        while ((frame = channel.readOutbound()) != null)
        {
            assertEquals(-1, closeCode, "nothing after the close frame");
            if (frame instanceof CloseWebSocketFrame)
            {
                closeCode = ((CloseWebSocketFrame)frame).statusCode();
            }
            ReferenceCountUtil.release(frame);
        }
        return closeCode;
    }

    private static void drainAndCheck(final InputRing ring)
    {
        ring.drain(new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                assertNotNull(event.link());
                if (event.type() == InputEvent.INPUT)
                {
                    for (int i = 0; i < ClientMessageHandlerTest.INPUTS.fieldCount(); i++)
                    {
                        final int value = event.values()[i];
                        assertFalse(value < ClientMessageHandlerTest.INPUTS.field(i).min() ||
                            value > ClientMessageHandlerTest.INPUTS.field(i).max(), "input value in range");
                    }
                }
            }
        });
    }

    /**
     * A valid JOIN first, then one valid message of every other kind.
     */
    private static List<byte[]> seeds()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final List<byte[]> seeds = new ArrayList<>();
        seeds.add(copy(buffer, new ControlCodec().encode(JoinRequest.named("arena", "room", "ann"), buffer, 0)));
        seeds.add(copy(buffer, new InputCodec(ClientMessageHandlerTest.INPUTS)
            .encode(buffer, 0, 0, 1, 0, new int[] {-127, 127, 3})));
        seeds.add(copy(buffer, new MessageEncoder().begin(ClientMessageHandlerTest.CHAT).putText(0, "gg")
            .encodeClientMessage(buffer, 0, 0, 1)));
        final ClientMessageFlyweight flyweight = new ClientMessageFlyweight();
        flyweight.wrap(buffer, 0, ClientMessageFlyweight.ACK_LENGTH).type(WireFormat.TYPE_ACK).ack(0).messageAck(0);
        seeds.add(copy(buffer, ClientMessageFlyweight.ACK_LENGTH));
        flyweight.wrap(buffer, 0, ClientMessageFlyweight.PING_LENGTH)
            .type(WireFormat.TYPE_PING).ack(0).pingTimestamp(9);
        seeds.add(copy(buffer, ClientMessageFlyweight.PING_LENGTH));
        flyweight.wrap(buffer, 0, ClientMessageFlyweight.LEAVE_LENGTH).type(WireFormat.TYPE_LEAVE).ack(0);
        seeds.add(copy(buffer, ClientMessageFlyweight.LEAVE_LENGTH));
        return List.copyOf(seeds);
    }

    private static byte[] copy(final UnsafeBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static List<byte[]> prepend(final byte[] first, final List<byte[]> rest)
    {
        final List<byte[]> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
