package io.tickwire.net;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickwire.codec.ClientMessageError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Violations are logged at DEBUG one by one and at INFO only as a summary per window, with counts by reason and
 * the worst addresses first; what the counters count goes through the same log.
 */
class ViolationLogTest
{
    private final Logger logger = (Logger)LoggerFactory.getLogger(ViolationLog.class);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void capture()
    {
        previousLevel = logger.getLevel();
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release()
    {
        logger.detachAppender(events);
        logger.setLevel(previousLevel);
    }

    @Test
    void aFloodIsOneInfoLinePerWindowNeverOnePerEvent()
    {
        logger.setLevel(Level.INFO);
        final NetCounters counters = new NetCounters();
        for (int i = 0; i < 1000; i++)
        {
            counters.onInvalidMessage(ClientMessageError.RATE_LIMITED, address("10.0.0.1", 1000 + i));
        }
        counters.onRefused(Refusal.TOKEN_EXPIRED, address("10.0.0.2", 5));
        assertEquals(0, events.list.size(), "nothing at INFO until the summary");

        final String summary = counters.violations.logSummary();
        assertEquals(1, events.list.size());
        assertEquals(Level.INFO, events.list.get(0).getLevel());
        assertTrue(summary.startsWith("1001 violation(s)"), summary);
        assertTrue(summary.contains("RATE_LIMITED=1000") && summary.contains("TOKEN_EXPIRED=1"), summary);
        assertTrue(summary.indexOf("10.0.0.1=1000") < summary.indexOf("10.0.0.2=1"), "worst first: " + summary);

        assertNull(counters.violations.logSummary(), "a quiet window logs nothing");
        assertEquals(1, events.list.size());
        assertEquals(1000, counters.invalidMessages(ClientMessageError.RATE_LIMITED), "the counters stay exact");
    }

    @Test
    void eachEventIsLoggedAtDebugWhenEnabled()
    {
        logger.setLevel(Level.DEBUG);
        final ViolationLog log = new ViolationLog();
        log.record("BAD_BODY", address("10.0.0.3", 7));
        log.record("BAD_BODY", null);
        final List<String> lines = events.list.stream()
            .filter(event -> event.getLevel() == Level.DEBUG)
            .map(ILoggingEvent::getFormattedMessage)
            .collect(Collectors.toList());
        assertEquals(List.of("violation BAD_BODY from 10.0.0.3", "violation BAD_BODY from unknown"), lines);
    }

    @Test
    void onlyTheTopAddressesAreListed()
    {
        logger.setLevel(Level.INFO);
        final ViolationLog log = new ViolationLog();
        for (int i = 0; i < ViolationLog.TOP_ADDRESSES + 3; i++)
        {
            log.record("BAD_FRAME", address("10.0.1." + i, 1));
        }
        final String summary = log.logSummary();
        assertEquals(ViolationLog.TOP_ADDRESSES, summary.split("10\\.0\\.1\\.").length - 1, summary);
    }

    private static InetSocketAddress address(final String ip, final int port)
    {
        return new InetSocketAddress(ip, port);
    }
}
