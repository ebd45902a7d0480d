package io.tickwire.codec;

import io.tickwire.codec.control.PresenceEncoder;
import io.tickwire.codec.control.PresenceEntry;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths allocate nothing per call: measured with the JVM's per-thread allocation counter over many calls
 * after a warm-up, so a single boxed value or iterator per call would show as kilobytes.
 */
class AllocationTest
{
    private static final int CALLS = 20_000;
    private static final long TOLERANCE_BYTES = 2048;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

    @Test
    void inputDecodeMessageValidationReadingAndEncoding()
    {
        final InputCodec input = new InputCodec(GoldenVectorsTest.ARENA_INPUT);
        final int[] values = new int[3];
        final int inputLength = input.encode(buffer, 0, 1, 1, 1, new int[] {5, -5, 7});
        assertAllocationFree(() -> assertEquals(ClientMessageError.NONE, input.decode(buffer, 0, inputLength, values)));

        final MessageCodec codec = new MessageCodec(MessageCodecTest.GAME);
        final MessageEncoder encoder = new MessageEncoder();
        final MessageReader reader = new MessageReader();
        final StringBuilder text = new StringBuilder("héllo");
        final int offset = 512;
        assertAllocationFree(() ->
        {
            final int length = encoder.begin(MessageCodecTest.CHAT).putText(0, text).encodeClientMessage(buffer, offset,
                1, 1);
            if (codec.validateClient(buffer, offset, length) != ClientMessageError.NONE)
            {
                throw new AssertionError();
            }
            reader.wrap(codec.type(), buffer, codec.fieldsOffset(), codec.fieldsLength());
            final int room = encoder.begin(MessageCodecTest.KILLED).putInt(0, 3).putInt(1, 4)
                .encodeRoomMessage(buffer, offset, 9);
            MessageEncoder.patchSeq(buffer, offset, 10);
            if (!codec.validateRoom(buffer, offset, room) || reader.length(0) != 6)
            {
                throw new AssertionError();
            }
        });
    }

    @Test
    void presenceEncoding()
    {
        final PresenceEncoder presence = new PresenceEncoder();
        final String[] keys = {"team"};
        final String[] values = {"red"};
        assertAllocationFree(() ->
        {
            final int position = presence.begin(buffer, 0, 1);
            presence.putLeave(buffer, presence.putJoin(buffer, position, PresenceEntry.OP_JOIN, 1, 2, "ann", keys,
                values, 1), 1, 1);
        });
    }

    @Test
    void snapshotEncodingAndDecodingInSteadyState()
    {
        final SnapshotEncoder encoder = new SnapshotEncoder(GoldenVectorsTest.ARENA_SCHEMA);
        final SnapshotDecoder decoder = new SnapshotDecoder(GoldenVectorsTest.ARENA_SCHEMA, 30, 64);
        final int[] baseline = {1600, 3200, 32, 0, 200, 0};
        final int[] current = {1632, 3200, 32, 0, 199, 0};
        final int[] seq = {0};
        final Runnable oneTick = () ->
        {
            final int s = ++seq[0];
            encoder.begin(buffer, 0, s, s, s == 1 ? Sequence.NONE : s - 1, s - 1, 0, true, s);
            if (s == 1)
            {
                encoder.enter(1, baseline, 0);
            }
            else
            {
                encoder.update(1, (s & 1) == 0 ? current : baseline, 0, (s & 1) == 0 ? baseline : current, 0);
            }
            if (decoder.decode(buffer, 0, encoder.finish()) != SnapshotDecoder.Result.APPLIED)
            {
                throw new AssertionError("tick " + s);
            }
        };
        for (int i = 0; i < 100; i++)
        {
            oneTick.run();
        }
        assertAllocationFree(oneTick);
    }

    private void assertAllocationFree(final Runnable call)
    {
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < CALLS; i++)
        {
            call.run();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes over " + CALLS + " calls");
    }
}
