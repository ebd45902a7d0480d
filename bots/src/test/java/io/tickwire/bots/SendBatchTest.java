package io.tickwire.bots;

import io.tickwire.codec.WireFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The loop's batch holds one bot's frames at a time: a second bot appending first has the first bot's frames flushed,
 * so no frame goes to another bot's connection, and a batch about to overflow is flushed by its holder first.
 */
class SendBatchTest
{
    private final SendBatch batch = new SendBatch();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[WireFormat.MAX_CLIENT_MESSAGE_LENGTH]);
    private final List<String> flushes = new ArrayList<>();

    @Test
    void aBotAppendingWhileAnotherHoldsTheBatchHasTheOtherFlushedFirst()
    {
        final Bot first = new Bot("first");
        final Bot second = new Bot("second");

        batch.append(first, payload, 18);
        batch.append(first, payload, 6);
        assertEquals(ClientFrames.frameLength(18) + ClientFrames.frameLength(6), batch.lengthOf(first));
        assertEquals(0, batch.lengthOf(second));

        batch.append(second, payload, 18);

        assertEquals(List.of("first:" + (ClientFrames.frameLength(18) + ClientFrames.frameLength(6))), flushes);
        assertEquals(0, batch.lengthOf(first));
        assertEquals(ClientFrames.frameLength(18), batch.lengthOf(second));
    }

    @Test
    void aBatchAboutToOverflowIsFlushedByItsHolderFirst()
    {
        final Bot bot = new Bot("bot");
        int appended = 0;
        while (flushes.isEmpty())
        {
            batch.append(bot, payload, WireFormat.MAX_CLIENT_MESSAGE_LENGTH);
            appended++;
        }

        assertEquals(1, flushes.size());
        assertEquals("bot:" + (appended - 1) * ClientFrames.frameLength(WireFormat.MAX_CLIENT_MESSAGE_LENGTH),
            flushes.get(0));
        assertEquals(ClientFrames.frameLength(WireFormat.MAX_CLIENT_MESSAGE_LENGTH), batch.lengthOf(bot));
    }

    /**
     * Flushes as a bot's handler does: records what it held, and clears the batch.
     */
    private final class Bot implements SendBatch.Holder
    {
        private final String name;

        Bot(final String name)
        {
            this.name = name;
        }

        public void flush()
        {
            flushes.add(name + ":" + batch.lengthOf(this));
            batch.clear();
        }
    }
}
