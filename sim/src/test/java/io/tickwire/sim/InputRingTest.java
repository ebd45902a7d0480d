package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.codec.MessageCodec;
import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputRingTest
{
    private static final GameType TYPE = RecordingGame.type("duel", 2, new HashMap<>());

    private final InputCodec inputCodec = new InputCodec(TYPE.inputSchema());
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private final ClientMessageFlyweight message = new ClientMessageFlyweight();
    private final InputValues values = new InputValues();
    private final RecordingLink link = new RecordingLink(7);

    @Test
    @Timeout(10)
    void fullRingRefusesAndCountsWithoutBlockingThenDrainsInOrder()
    {
        final InputRing ring = new InputRing(8);
        for (int seq = 1; seq <= 8; seq++)
        {
            assertTrue(ring.tryPublishInput(link, input(seq, 1), values));
        }

        assertFalse(ring.tryPublishInput(link, input(9, 1), values));
        assertFalse(ring.tryPublishClosed(link, LeaveReason.DISCONNECTED));
        assertEquals(2, ring.refusedCount());
        assertEquals(8, ring.occupancy());

        final List<Integer> drained = new ArrayList<>();
        assertEquals(8, ring.drain(handler(event -> drained.add(event.inputSeq()))));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), drained);
        assertEquals(0, ring.occupancy());

        assertTrue(ring.tryPublishInput(link, input(10, 1), values));
        assertEquals(1, ring.drain(handler(event -> drained.add(event.inputSeq()))));
        assertEquals(10, drained.get(8));
    }

    @Test
    void anInputCarriesItsAckSequenceViewTickAndValues()
    {
        final InputRing ring = new InputRing(8);
        final int length = inputCodec.encode(frame, 0, 41, 5, 1234, new int[] {-7, 1});
        decodeInput(length);
        assertTrue(ring.tryPublishInput(link, message, values));
        values.values[0] = 3;

        final List<String> seen = new ArrayList<>();
        ring.drain(handler(event ->
        {
            assertSame(link, event.link());
            seen.add(event.type() + " ack=" + event.ack() + " seq=" + event.inputSeq() + " view=" + event.viewTick() +
                " values=" + event.values()[0] + "," + event.values()[1]);
        }));
        assertEquals(List.of(InputEvent.INPUT + " ack=41 seq=5 view=1234 values=-7,1"), seen);
    }

    @Test
    void aMessageIsCopiedIntoTheEventWithItsTypeSequenceAndFields()
    {
        final InputRing ring = new InputRing(8);
        final MessageCodec codec = new MessageCodec(TYPE);
        final int offset = 16;
        final int length = new MessageEncoder().begin(RecordingGame.SAY).putText(0, "hello")
            .encodeClientMessage(frame, offset, 9, 3);
        message.wrap(frame, offset, length);
        assertEquals(ClientMessageError.NONE, message.validate());
        assertEquals(ClientMessageError.NONE, codec.validateClient(frame, offset, length));
        assertTrue(ring.tryPublishMessage(link, message, codec));
        frame.setMemory(0, frame.capacity(), (byte)0);

        final List<String> seen = new ArrayList<>();
        ring.drain(handler(event ->
        {
            final MessageReader reader = new MessageReader().wrap(RecordingGame.SAY,
                new UnsafeBuffer(event.payload(), 0, event.payloadLength), event.fieldsOffset,
                event.payloadLength - event.fieldsOffset);
            seen.add(event.type() + " ack=" + event.ack() + " seq=" + event.messageSeq + " type=" +
                event.messageTypeId + " " + reader.getText(0));
        }));
        assertEquals(List.of(InputEvent.MESSAGE + " ack=9 seq=3 type=" + RecordingGame.SAY.id() + " hello"), seen);
    }

    @Test
    void controlMessagesCarryTheirAcks()
    {
        final InputRing ring = new InputRing(8);
        message.wrap(frame, 0, ClientMessageFlyweight.ACK_LENGTH).type(WireFormat.TYPE_ACK).ack(4).messageAck(12);
        assertTrue(ring.tryPublishControl(link, message));
        message.wrap(frame, 0, ClientMessageFlyweight.PING_LENGTH).type(WireFormat.TYPE_PING).ack(5).pingTimestamp(1L);
        assertTrue(ring.tryPublishControl(link, message));
        message.wrap(frame, 0, ClientMessageFlyweight.LEAVE_LENGTH).type(WireFormat.TYPE_LEAVE).ack(6);
        assertTrue(ring.tryPublishControl(link, message));

        final List<String> seen = new ArrayList<>();
        ring.drain(handler(event -> seen.add(event.type() + " ack=" + event.ack() +
            (event.type() == InputEvent.ACK ? " messageAck=" + event.messageAck : ""))));
        assertEquals(List.of(
            InputEvent.ACK + " ack=4 messageAck=12",
            InputEvent.SNAPSHOT_ACK + " ack=5",
            InputEvent.LEAVE + " ack=6"), seen);
    }

    @Test
    void joinsAndClosesCarryTheirTicketAndReasonAndAreClearedAfterUse()
    {
        final InputRing ring = new InputRing(8);
        final JoinTicket ticket = new JoinTicket(TYPE, JoinRequest.MODE_CREATE, "", "ann",
            JoinOptionValues.of(TYPE, Map.of("team", "1")), null);
        assertTrue(ring.tryPublishJoin(link, ticket));
        assertTrue(ring.tryPublishClosed(link, LeaveReason.IDLE));

        final List<InputEvent> events = new ArrayList<>();
        final List<String> seen = new ArrayList<>();
        ring.drain(handler(event ->
        {
            events.add(event);
            seen.add(event.type() + " " + (event.join() == ticket) + " " + event.closeReason);
        }));
        assertEquals(List.of(InputEvent.JOIN + " true null", InputEvent.CLOSED + " false IDLE"), seen);
        for (final InputEvent event : events)
        {
            assertNull(event.link(), "no reference outlives its event");
            assertNull(event.join());
            assertNull(event.closeReason);
        }
    }

    @Test
    @Timeout(30)
    void manyProducersLoseNothingThatWasAccepted() throws InterruptedException
    {
        final InputRing ring = new InputRing(1024);
        final int producers = 4;
        final int perProducer = 20_000;
        final long[] accepted = new long[producers];
        final Workers workers = new Workers(producers, producer ->
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
            final InputCodec codec = new InputCodec(TYPE.inputSchema());
            final ClientMessageFlyweight local = new ClientMessageFlyweight();
            final InputValues localValues = new InputValues();
            final int[] input = {producer, 0};
            localValues.count = 2;
            final RecordingLink producerLink = new RecordingLink(producer);
            for (int seq = 1; seq <= perProducer; seq++)
            {
                local.wrap(buffer, 0, codec.encode(buffer, 0, 0, seq, 0, input));
                codec.decode(buffer, 0, local.length(), localValues.values);
                if (ring.tryPublishInput(producerLink, local, localValues))
                {
                    accepted[producer]++;
                }
            }
        });

        final long[] lastSeq = new long[producers];
        final long[] received = new long[producers];
        final boolean[] ordered = {true};
        final InputRing.InputHandler handler = handler(event ->
        {
            final int producer = (int)event.link().sessionId();
            ordered[0] &= event.inputSeq() > lastSeq[producer] && event.values()[0] == producer;
            lastSeq[producer] = event.inputSeq();
            received[producer]++;
        });

        workers.release();
        while (workers.anyAlive())
        {
            ring.drain(handler);
        }
        workers.awaitAll();
        ring.drain(handler);

        long totalAccepted = 0;
        for (int p = 0; p < producers; p++)
        {
            assertEquals(accepted[p], received[p], "producer " + p);
            totalAccepted += accepted[p];
        }
        assertTrue(ordered[0], "each producer's events arrive in publication order, with their values");
        assertEquals((long)producers * perProducer, totalAccepted + ring.refusedCount());
        assertTrue(totalAccepted >= 1024, "whatever the schedule, an empty ring of 1024 takes 1024: " + totalAccepted);
    }

    /**
     * Producers that retry every refusal: every event published arrives exactly once, so the count received is
     * known exactly, not only bounded by what was accepted.
     */
    @Test
    @Timeout(30)
    void producersThatRetryGetEveryEventThroughExactlyOnce() throws InterruptedException
    {
        final InputRing ring = new InputRing(64);
        final int producers = 3;
        final int perProducer = 10_000;
        final Workers workers = new Workers(producers, producer ->
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
            final InputCodec codec = new InputCodec(TYPE.inputSchema());
            final ClientMessageFlyweight local = new ClientMessageFlyweight();
            final InputValues localValues = new InputValues();
            localValues.count = 2;
            final RecordingLink producerLink = new RecordingLink(producer);
            for (int seq = 1; seq <= perProducer; seq++)
            {
                local.wrap(buffer, 0, codec.encode(buffer, 0, 0, seq, 0, new int[] {producer, seq & 1}));
                codec.decode(buffer, 0, local.length(), localValues.values);
                final long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!ring.tryPublishInput(producerLink, local, localValues))
                {
                    assertTrue(System.nanoTime() < giveUpNs, "the ring refused input " + seq + " for 10 s");
                    Thread.onSpinWait();
                }
            }
        });

        final int[] nextSeq = {1, 1, 1};
        final boolean[] exact = {true};
        final InputRing.InputHandler handler = handler(event ->
        {
            final int producer = (int)event.link().sessionId();
            exact[0] &= event.inputSeq() == nextSeq[producer] && event.values()[1] == (event.inputSeq() & 1);
            nextSeq[producer]++;
        });

        workers.release();
        long received = 0;
        while (workers.anyAlive())
        {
            received += ring.drain(handler);
        }
        workers.awaitAll();
        received += ring.drain(handler);

        assertTrue(exact[0], "each producer's events arrive once each, in order, with their values");
        assertEquals((long)producers * perProducer, received);
    }

    private ClientMessageFlyweight input(final int seq, final int dx)
    {
        decodeInput(inputCodec.encode(frame, 0, 0, seq, 0, new int[] {dx, 0}));
        return message;
    }

    private void decodeInput(final int length)
    {
        message.wrap(frame, 0, length);
        assertEquals(ClientMessageError.NONE, message.validate());
        values.count = TYPE.inputSchema().fieldCount();
        assertEquals(ClientMessageError.NONE, inputCodec.decode(frame, 0, length, values.values));
    }

    private static InputRing.InputHandler handler(final Consumer<InputEvent> consumer)
    {
        return new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                consumer.accept(event);
            }
        };
    }
}
