package io.tickwire.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --demo-bots} may take at most half of the per-address connection cap, so a person on the same machine as the
 * bots is never locked out; the server refuses to start otherwise (exit status 2, before binding anything).
 */
class ServerMainDemoBotsTest
{
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void moreDemoBotsThanHalfThePerAddressCapAreRefused()
    {
        final StringWriter errors = new StringWriter();
        final CommandLine command = new CommandLine(new ServerMain()).setErr(new PrintWriter(errors));
        assertEquals(2, command.execute("--port", "0", "--run-for", "1s", "--demo-bots", "33"));
        assertTrue(errors.toString().contains("--demo-bots must be 0..32"), errors.toString());

        final StringWriter lowered = new StringWriter();
        assertEquals(2, new CommandLine(new ServerMain()).setErr(new PrintWriter(lowered))
            .execute("--port", "0", "--run-for", "1s", "--demo-bots", "20", "--max-connections-per-ip", "30"));
        assertTrue(lowered.toString().contains("--demo-bots must be 0..15"), lowered.toString());
    }
}
