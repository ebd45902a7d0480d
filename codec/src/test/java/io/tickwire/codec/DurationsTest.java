package io.tickwire.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest
{
    @Test
    void parsesEveryUnit()
    {
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), Durations.parseNs("500ms"));
        assertEquals(TimeUnit.SECONDS.toNanos(20), Durations.parseNs("20s"));
        assertEquals(TimeUnit.MINUTES.toNanos(2), Durations.parseNs("2m"));
        assertEquals(TimeUnit.HOURS.toNanos(1), Durations.parseNs("1h"));
        assertEquals(0, Durations.parseNs("0s"));
    }

    @Test
    void ignoresSurroundingWhiteSpace()
    {
        assertEquals(TimeUnit.SECONDS.toNanos(3), Durations.parseNs(" 3s "));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "s", "20", "20x", "20 s", "-1s", "+1s", "1.5s", "20S", "2mm", "ms20", "25h",
        "9999999999999s" })
    void rejectsAnythingElse(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Durations.parseNs(text));
    }
}
