package io.tickwire.testsupport;

import java.util.function.DoubleBinaryOperator;

/**
 * Classes for {@link PlatformMathScanTest} to find, or not.
 */
final class Fixtures
{
    private Fixtures()
    {
    }

    static final class UsesMath
    {
        static final DoubleBinaryOperator ANGLE = Math::atan2;

        private UsesMath()
        {
        }

        static double wave(final double x, final long big)
        {
            return Math.sin(x) + Math.pow(x, 2) + Long.MAX_VALUE / (double)big;
        }
    }

    static final class Clean
    {
        private Clean()
        {
        }

        static double wave(final double x)
        {
            return StrictMath.sin(x) + Math.sqrt(x) + Math.abs(x) + Math.floor(x) + Math.round(x) + 1.5e300;
        }
    }
}
