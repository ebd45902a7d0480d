package io.tickwire.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The log of violations and refusals: each event at DEBUG (when enabled), and a summary at INFO at most once per
 * {@link #logSummary()} call, which the server makes every {@link #SUMMARY_INTERVAL_SECONDS} seconds: the count by
 * reason and the {@link #TOP_ADDRESSES} addresses with the most events since the previous summary. A flood of bad
 * packets therefore costs one INFO line per interval, never one per packet.
 * <p>
 * Thread safe: {@link #record} is called on any event loop, {@link #logSummary} on one scheduler thread. The summary
 * is approximate (an event recorded while the window is swapped may fall out of both windows; at most
 * {@link #MAX_ADDRESSES} addresses are remembered per window); the counters in {@code /metrics} are exact. Never
 * give it anything secret: a reason is a fixed name, an address is the peer's IP.
 */
public final class ViolationLog
{
    /** Seconds between two summaries at most: the server's schedule. */
    public static final int SUMMARY_INTERVAL_SECONDS = 10;
    static final int TOP_ADDRESSES = 5;
    static final int MAX_ADDRESSES = 4096;
    private static final String UNKNOWN_ADDRESS = "unknown";
    private static final Logger LOGGER = LoggerFactory.getLogger(ViolationLog.class);

    private final AtomicReference<Window> window = new AtomicReference<>(new Window());

    /**
     * Records one violation or refusal. Any thread; a map update and, when DEBUG is on, one log line.
     *
     * @param reason the counter's reason name, e.g. {@code RATE_LIMITED} or {@code TOKEN_EXPIRED}.
     * @param remote the peer's address, or null when unknown.
     */
    public void record(final String reason, final SocketAddress remote)
    {
        final String address = addressOf(remote);
        if (LOGGER.isDebugEnabled())
        {
            LOGGER.debug("violation {} from {}", reason, address);
        }
        final Window current = window.get();
        current.byReason.computeIfAbsent(reason, key -> new LongAdder()).increment();
        final LongAdder perAddress = current.byAddress.get(address);
        if (perAddress != null)
        {
            perAddress.increment();
        }
        else if (current.byAddress.size() < MAX_ADDRESSES)
        {
            current.byAddress.computeIfAbsent(address, key -> new LongAdder()).increment();
        }
    }

    /**
     * Logs, at INFO, what was recorded since the previous call, if anything, and starts a new window.
     *
     * @return the line logged, or null when nothing was recorded.
     */
    public String logSummary()
    {
        final Window ended = window.getAndSet(new Window());
        if (ended.byReason.isEmpty())
        {
            return null;
        }
        long total = 0;
        final Map<String, Long> byReason = new TreeMap<>();
        for (final Map.Entry<String, LongAdder> entry : ended.byReason.entrySet())
        {
            final long count = entry.getValue().sum();
            byReason.put(entry.getKey(), count);
            total += count;
        }
        final List<Map.Entry<String, Long>> addresses = new ArrayList<>();
        for (final Map.Entry<String, LongAdder> entry : ended.byAddress.entrySet())
        {
            addresses.add(Map.entry(entry.getKey(), entry.getValue().sum()));
        }
        addresses.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        final String summary = total + " violation(s) since the last summary, by reason " + byReason +
            "; top addresses " + addresses.subList(0, Math.min(TOP_ADDRESSES, addresses.size())) +
            (ended.byAddress.size() >= MAX_ADDRESSES ? " (address list full)" : "");
        LOGGER.info(summary);
        return summary;
    }

    private static String addressOf(final SocketAddress remote)
    {
        if (remote instanceof InetSocketAddress)
        {
            final InetSocketAddress inet = (InetSocketAddress)remote;
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return remote == null ? UNKNOWN_ADDRESS : remote.toString();
    }

    private static final class Window
    {
        final Map<String, LongAdder> byReason = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byAddress = new ConcurrentHashMap<>();
    }
}
