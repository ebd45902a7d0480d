package io.tickwire.bots;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BotsMainTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsEveryOption()
    {
        assertEquals(0, execute("--help"));

        final String usage = out.toString();
        for (final String option : new String[]{ "--url", "--bots", "--rooms", "--room-prefix", "--duration",
            "--threads", "--ramp", "--input-rate", "--seed", "--connect-timeout", "--close-timeout" })
        {
            assertTrue(usage.contains(option), option);
        }
    }

    @Test
    void badArgumentsAreAUsageError()
    {
        assertEquals(2, execute("--duration", "soon"));
        assertTrue(err.toString().contains("soon"), err.toString());

        assertEquals(2, execute("--bots", "0"));
        assertTrue(err.toString().contains("bots must be in"), err.toString());

        assertEquals(2, execute("--url", "http://127.0.0.1:7777/ws"));
    }

    private int execute(final String... args)
    {
        return new CommandLine(new BotsMain())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }
}
