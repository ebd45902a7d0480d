package io.tickwire.net.pipeline;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchmakeBudgetTest
{
    private static final InetAddress ANN = address(1);
    private static final InetAddress BOB = address(2);
    private static final InetAddress CAROL = address(3);

    @Test
    void anAddressMaySpendABurstOfThreeSecondsWorthThenIsRefusedWithoutTouchingOthers()
    {
        final MatchmakeBudget budget = new MatchmakeBudget(2, 16);
        for (int i = 0; i < 2 * MatchmakeBudget.BURST_SECONDS; i++)
        {
            assertTrue(budget.tryTake(ANN), "request " + i + " of the burst");
        }
        assertFalse(budget.tryTake(ANN), "the burst is spent");
        assertTrue(budget.tryTake(BOB), "another address has its own budget");
        assertTrue(budget.tryTake(null), "no IP address: not limited");
    }

    @Test
    void zeroIsNoLimit()
    {
        final MatchmakeBudget budget = new MatchmakeBudget(0, 1);
        for (int i = 0; i < 10_000; i++)
        {
            assertTrue(budget.tryTake(address(i)));
        }
        assertEquals(0, budget.trackedAddresses());
    }

    @Test
    void theTableIsBoundedAndForgetsAddressesWhoseBucketRefilled()
    {
        final MatchmakeBudget budget = new MatchmakeBudget(1_000, 2);
        assertTrue(budget.tryTake(ANN));
        assertTrue(budget.tryTake(BOB));
        for (int i = 0; i < 1_000 * MatchmakeBudget.BURST_SECONDS; i++)
        {
            budget.tryTake(BOB);
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> budget.tryTake(CAROL));
        assertEquals(2, budget.trackedAddresses(), "ann, quiet and refilled, was forgotten for carol; never 3");
    }

    private static InetAddress address(final int n)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {10, (byte)(n >> 16), (byte)(n >> 8), (byte)n});
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
