package io.tickwire.net;

import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the build's without-unsafe run of this module ({@code -Dio.netty.noUnsafe=true}; see its pom): the snapshot
 * writes and the live swarm run there with Netty without {@code sun.misc.Unsafe}, as on Java 25 and later by default.
 */
class WithoutUnsafeTest
{
    @Test
    void nettyRunsWithoutUnsafe()
    {
        assumeTrue(Boolean.getBoolean("io.netty.noUnsafe"), "the without-unsafe run only");
        assertFalse(PlatformDependent.hasUnsafe(), "Netty has sun.misc.Unsafe in this run");
    }
}
