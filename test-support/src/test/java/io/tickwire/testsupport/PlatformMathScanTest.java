package io.tickwire.testsupport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scan finds what it must (a fixture calling {@code Math.sin}, {@code Math.pow} and taking {@code Math::atan2})
 * and nothing else ({@code StrictMath}, and the {@code Math} methods specified exactly).
 */
class PlatformMathScanTest
{
    @Test
    void findsPlatformDependentMathAndNothingElse() throws Exception
    {
        final List<String> found = PlatformMathScan.violations(PlatformMathScanTest.class);
        assertEquals(List.of(
            Fixtures.UsesMath.class.getName() + " -> Math.atan2",
            Fixtures.UsesMath.class.getName() + " -> Math.pow",
            Fixtures.UsesMath.class.getName() + " -> Math.sin"), found);
    }

    @Test
    void strictMathAndExactMathPass() throws Exception
    {
        final byte[] classFile;
        try (var in = Fixtures.Clean.class.getResourceAsStream("Fixtures$Clean.class"))
        {
            classFile = in.readAllBytes();
        }
        assertTrue(PlatformMathScan.calls(classFile).isEmpty());
    }
}
