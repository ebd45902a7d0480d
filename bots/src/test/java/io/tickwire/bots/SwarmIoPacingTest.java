package io.tickwire.bots;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.tickwire.io.PacedIoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A swarm loop's pacing ({@link PacedIoHandler} with the group's cycle, as {@link Swarm} builds it) never lets the
 * transport block, has it handle what is ready round after round until a round finds
 * nothing, and sleeps only while the loop may block: until the next scheduled task, a cycle at most.
 */
@Timeout(10)
class SwarmIoPacingTest
{
    private final FakeTransport transport = new FakeTransport();
    private final IoHandler handler = PacedIoHandler.factory(executor -> transport, BotGroup.CYCLE_NS).newHandler(null);

    @Test
    void theTransportPollsWithoutBlockingUntilARoundFindsNothing()
    {
        handler.initialize();
        transport.readyPerRound.addAll(List.of(3, 2, 0, 7));

        final int handled = handler.run(new Context(false, 0));

        assertEquals(5, handled);
        assertEquals(List.of(false, false, false), transport.couldBlock);
    }

    @Test
    void aLoopThatMayBlockSleepsUntilTheCycleAtMost()
    {
        handler.initialize();
        final long startNs = System.nanoTime();

        handler.run(new Context(true, TimeUnit.SECONDS.toNanos(10)));

        final long sleptNs = System.nanoTime() - startNs;
        assertTrue(sleptNs >= BotGroup.CYCLE_NS * 9 / 10, "slept " + sleptNs + " ns");
        assertTrue(sleptNs < TimeUnit.SECONDS.toNanos(1), "slept " + sleptNs + " ns");
        assertEquals(List.of(false), transport.couldBlock);
    }

    @Test
    void aLoopWithTasksWaitingDoesNotSleep()
    {
        handler.initialize();
        final long startNs = System.nanoTime();

        handler.run(new Context(false, TimeUnit.SECONDS.toNanos(10)));

        assertTrue(System.nanoTime() - startNs < BotGroup.CYCLE_NS / 2);
    }

    private static final class Context implements IoHandlerContext
    {
        private final boolean canBlock;
        private final long delayNs;

        Context(final boolean canBlock, final long delayNs)
        {
            this.canBlock = canBlock;
            this.delayNs = delayNs;
        }

        public boolean canBlock()
        {
            return canBlock;
        }

        public long delayNanos(final long currentTimeNanos)
        {
            return delayNs;
        }

        public long deadlineNanos()
        {
            return System.nanoTime() + delayNs;
        }
    }

    /**
     * Returns the ready counts it is given, one a round (0 once they run out), and records whether each round could
     * have blocked.
     */
    private static final class FakeTransport implements IoHandler
    {
        final List<Integer> readyPerRound = new ArrayList<>();
        final List<Boolean> couldBlock = new ArrayList<>();

        public int run(final IoHandlerContext context)
        {
            couldBlock.add(context.canBlock());
            return readyPerRound.isEmpty() ? 0 : readyPerRound.remove(0);
        }

        public IoRegistration register(final IoHandle handle)
        {
            throw new UnsupportedOperationException();
        }

        public void wakeup()
        {
        }

        public boolean isCompatible(final Class<? extends IoHandle> handleType)
        {
            return true;
        }
    }
}
