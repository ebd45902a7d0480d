package io.tickwire.sim;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputRingTest
{
    private final ClientMessageFlyweight message = new ClientMessageFlyweight()
        .wrap(new UnsafeBuffer(new byte[ClientMessageFlyweight.INPUT_LENGTH]), 0, ClientMessageFlyweight.INPUT_LENGTH);

    @Test
    @Timeout(10)
    void fullRingRefusesAndCountsWithoutBlockingThenDrainsInOrder()
    {
        final InputRing ring = new InputRing(8);
        final RecordingLink link = new RecordingLink(1);
        for (int seq = 1; seq <= 8; seq++)
        {
            assertTrue(ring.tryPublishMessage(link, input(seq)));
        }

        assertFalse(ring.tryPublishMessage(link, input(9)));
        assertFalse(ring.tryPublishClosed(link));
        assertEquals(2, ring.refusedCount());
        assertEquals(8, ring.occupancy());

        final List<Integer> drained = new ArrayList<>();
        assertEquals(8, ring.drain(handler(drained)));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), drained);
        assertEquals(0, ring.occupancy());

        assertTrue(ring.tryPublishMessage(link, input(10)));
        assertEquals(1, ring.drain(handler(drained)));
        assertEquals(10, drained.get(8));
    }

    @Test
    @Timeout(30)
    void manyProducersLoseNothingThatWasAccepted() throws InterruptedException
    {
        final InputRing ring = new InputRing(1024);
        final int producers = 4;
        final int perProducer = 20_000;
        final long[] accepted = new long[producers];
        final Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            threads[p] = new Thread(() ->
            {
                final ClientMessageFlyweight local = new ClientMessageFlyweight().wrap(
                    new UnsafeBuffer(new byte[ClientMessageFlyweight.INPUT_LENGTH]), 0,
                    ClientMessageFlyweight.INPUT_LENGTH);
                final RecordingLink link = new RecordingLink(producer);
                for (int seq = 1; seq <= perProducer; seq++)
                {
                    local.type(WireFormat.TYPE_INPUT).ack(0).inputSeq(seq).moveX(0).moveY(0).buttons(0);
                    if (ring.tryPublishMessage(link, local))
                    {
                        accepted[producer]++;
                    }
                }
            });
        }

        final long[] lastSeq = new long[producers];
        final long[] received = new long[producers];
        final boolean[] ordered = {true};
        final InputRing.InputHandler handler = new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                final int producer = (int)event.link().sessionId();
                ordered[0] &= event.inputSeq() > lastSeq[producer];
                lastSeq[producer] = event.inputSeq();
                received[producer]++;
            }
        };

        for (final Thread thread : threads)
        {
            thread.start();
        }
        boolean running = true;
        while (running)
        {
            running = false;
            for (final Thread thread : threads)
            {
                running |= thread.isAlive();
            }
            ring.drain(handler);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        ring.drain(handler);

        long totalAccepted = 0;
        for (int p = 0; p < producers; p++)
        {
            assertEquals(accepted[p], received[p], "producer " + p);
            totalAccepted += accepted[p];
        }
        assertTrue(ordered[0], "each producer's events arrive in publication order");
        assertEquals((long)producers * perProducer, totalAccepted + ring.refusedCount());
    }

    private ClientMessageFlyweight input(final int seq)
    {
        return message.type(WireFormat.TYPE_INPUT).ack(0).inputSeq(seq).moveX(1).moveY(-1).buttons(0);
    }

    private static InputRing.InputHandler handler(final List<Integer> drained)
    {
        return new InputRing.InputHandler()
        {
            protected void onInputEvent(final InputEvent event)
            {
                drained.add(event.inputSeq());
            }
        };
    }
}
