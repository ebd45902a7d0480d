package io.tickwire.net;

import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How the event loops write: auto batches on epoll where the system offers io_uring, direct is honoured, batching
 * falls back on another transport or without io_uring, and the reason the server logs says which case it was.
 */
class WriteChoiceTest
{
    @Test
    void autoBatchesOnEpollWhereIoUringIsOfferedAndSaysSo()
    {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());

        final WriteChoice auto = WriteChoice.choose(IoConfig.Writes.AUTO, "epoll");
        assertTrue(auto.batched());
        assertEquals("the measured default", auto.reason());
        final WriteChoice batched = WriteChoice.choose(IoConfig.Writes.BATCHED, "epoll");
        assertTrue(batched.batched());
        assertEquals("asked for", batched.reason());
    }

    @Test
    void directIsHonouredWhateverTheSystemOffers()
    {
        final WriteChoice direct = WriteChoice.choose(IoConfig.Writes.DIRECT, "epoll");
        assertFalse(direct.batched());
        assertEquals("asked for", direct.reason());
        assertEquals("a write(2) per frame", direct.describe());
    }

    @Test
    void anotherTransportWritesThroughItsChannelsAndSaysWhy()
    {
        for (final String transport : new String[] {"io_uring", "nio"})
        {
            final WriteChoice auto = WriteChoice.choose(IoConfig.Writes.AUTO, transport);
            assertFalse(auto.batched(), transport);
            assertTrue(auto.reason().startsWith("auto; the " + transport + " transport"), auto.reason());
            final WriteChoice batched = WriteChoice.choose(IoConfig.Writes.BATCHED, transport);
            assertFalse(batched.batched(), transport);
            assertTrue(batched.reason().startsWith("fallback; the " + transport + " transport"), batched.reason());
        }
    }

    @Test
    void withoutIoUringEpollWritesEachFrameAndNamesTheCause()
    {
        assumeTrue(!IoUring.isAvailable(), "only where io_uring is missing");

        final WriteChoice choice = WriteChoice.choose(IoConfig.Writes.BATCHED, "epoll");
        assertFalse(choice.batched());
        assertTrue(choice.reason().startsWith("fallback; io_uring unavailable ("), choice.reason());
    }
}
