package io.tickwire.io;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the build's without-unsafe run ({@code -Dio.netty.noUnsafe=true}; see this module's pom): its Netty has no
 * {@code sun.misc.Unsafe}, as on Java 25 and later, where Netty 4.2 leaves it off by default; on Java 24 and earlier
 * its buffers then have no native address either.
 */
class WithoutUnsafeTest
{
    @Test
    void nettyRunsWithoutUnsafeAndBeforeJava25ItsBuffersHaveNoMemoryAddress()
    {
        assumeTrue(Boolean.getBoolean("io.netty.noUnsafe"), "the without-unsafe run only");
        assertFalse(PlatformDependent.hasUnsafe(), "Netty has sun.misc.Unsafe in this run");
        assumeTrue(PlatformDependent.javaVersion() < 25, "Netty's buffers keep an address through the FFM API");
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
