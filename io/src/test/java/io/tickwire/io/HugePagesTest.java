package io.tickwire.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HugePagesTest
{
    @Test
    void theKernelsSelectedModeIsTheBracketedWord()
    {
        assertEquals("madvise", HugePages.selectedMode("always [madvise] never\n"));
        assertEquals("always", HugePages.selectedMode("[always] madvise never"));
        assertEquals("never", HugePages.selectedMode("always madvise [never]\n"));
        assertNull(HugePages.selectedMode("always madvise never"));
    }

    @Test
    void warnsOnlyWhenTheKernelWouldGiveHugePagesThatTheJvmDoesNotAskFor()
    {
        final HugePages.Advice notAsked = HugePages.advice("madvise", false);
        assertTrue(notAsked.warn());
        assertTrue(notAsked.message().contains("-XX:+UseTransparentHugePages"), notAsked.message());

        assertFalse(HugePages.advice("madvise", true).warn());
        assertFalse(HugePages.advice("always", false).warn(), "the kernel gives them without the JVM asking");
        assertFalse(HugePages.advice("never", false).warn(), "nothing to gain");
        assertFalse(HugePages.advice(null, null).warn(), "not Linux");
        assertFalse(HugePages.advice("madvise", null).warn(), "a JVM without the option cannot be told to use it");
    }

    @Test
    void thisProcessGetsAnAdvice()
    {
        final HugePages.Advice advice = HugePages.adviceForThisProcess();
        assertNotNull(advice.message());
        assertTrue(advice.message().startsWith("Java heap on"), advice.message());
    }
}
