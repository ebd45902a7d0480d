package io.tickwire.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the build's without-unsafe run ({@code -Dio.netty.noUnsafe=true}; see this module's pom): its Netty has
 * no {@code sun.misc.Unsafe}, so the classes that run with it ran as on Java 25, where Netty 4.2 leaves it off.
 */
class WithoutUnsafeTest
{
    @Test
    void nettyRunsWithoutUnsafeAndItsBuffersHaveNoMemoryAddress()
    {
        assumeTrue(Boolean.getBoolean("io.netty.noUnsafe"), "the without-unsafe run only");
        assertFalse(PlatformDependent.hasUnsafe(), "Netty has sun.misc.Unsafe in this run");
        final ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        try
        {
            assertFalse(buffer.hasMemoryAddress());
        }
        finally
        {
            buffer.release();
        }
    }
}
