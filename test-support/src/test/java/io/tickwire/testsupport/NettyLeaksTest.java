package io.tickwire.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak check the build relies on catches a leak: a buffer dropped without release fails it, with the access
 * records that say where the buffer was touched, and a clean run passes. The leak is caught here so this class
 * itself passes; without the catch, {@link NettyLeakExtension} fails the class.
 */
class NettyLeaksTest
{
    @Test
    @Timeout(30)
    void aDroppedBufferFailsTheCheckWithItsAccessRecords()
    {
        leakOneBuffer();

        final AssertionError failure = assertThrows(AssertionError.class, () -> NettyLeaks.assertNoLeaks("proof"));
        assertTrue(failure.getMessage().contains("LEAK"), failure.getMessage());
        assertTrue(failure.getMessage().contains("leakOneBuffer"), "paranoid records say where: " +
            failure.getMessage());
        assertDoesNotThrow(() -> NettyLeaks.assertNoLeaks("after the proof"), "each report fails once");
    }

    @Test
    @Timeout(30)
    void releasedBuffersPass()
    {
        final ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(7);
        buffer.release();
        assertDoesNotThrow(() -> NettyLeaks.assertNoLeaks("clean"));
    }

    private static void leakOneBuffer()
    {
        final ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(64);
        buffer.writeLong(42);
        buffer.readLong();
    }
}
