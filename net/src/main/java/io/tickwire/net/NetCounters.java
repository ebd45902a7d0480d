package io.tickwire.net;

import io.tickwire.codec.ClientMessageError;

import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the network layer, written by any event loop, readable from any thread. Violations and refusals are
 * counted here and, through the same call, recorded in the {@link #violations} log (DEBUG per event, a rate-limited
 * INFO summary).
 */
public final class NetCounters
{
    public final AtomicLong connectionsOpened = new AtomicLong();
    public final AtomicLong connectionsClosed = new AtomicLong();
    /** WebSocket handshakes completed; each starts a session. */
    public final AtomicLong handshakes = new AtomicLong();
    /** Sessions whose connection has closed. */
    public final AtomicLong sessionsClosed = new AtomicLong();
    /** Upgrade requests refused, for any reason (subprotocol, origin, token); by reason in {@link #refusals}. */
    public final AtomicLong handshakesRefused = new AtomicLong();
    /** Joins refused because the shard's ring was full. */
    public final AtomicLong joinsRefusedBusy = new AtomicLong();
    /** Inputs refused because the shard's ring was full; the client is told with a notice. */
    public final AtomicLong inputsRefusedBusy = new AtomicLong();
    /** Leaves refused because the shard's ring was full; the connection is closed instead. */
    public final AtomicLong leavesRefusedBusy = new AtomicLong();
    /** Game messages the ring refused; the connection was closed (1013) so no message goes missing in sequence. */
    public final AtomicLong messagesRefusedBusy = new AtomicLong();
    /** ACKs (and pings' acks) the ring refused; the next message carries a newer ack. */
    public final AtomicLong acksRefusedBusy = new AtomicLong();
    public final AtomicLong idleTimeouts = new AtomicLong();
    /** Connections closed (4006) for staying not writable past the not-reading deadline. */
    public final AtomicLong notReadingCloses = new AtomicLong();
    /** Sessions closed (1011) because the shard holding their room failed, or refused a join to a failed shard. */
    public final AtomicLong shardFailureCloses = new AtomicLong();
    /** Connections still open at a drain's deadline, closed without waiting further. */
    public final AtomicLong drainForcedCloses = new AtomicLong();
    /** Clustered: connections closed (4008) whose JOIN did not match the reservation they were opened with. */
    public final AtomicLong reservationMismatches = new AtomicLong();
    /** Clustered: sessions closed (NOTICE 12, 1001): their room moved to another node, or the node was reaped. */
    public final AtomicLong roomMovedCloses = new AtomicLong();
    /** Clustered: {@code POST /matchmake} requests answered with a reservation. */
    public final AtomicLong matchmakes = new AtomicLong();
    /** Clustered: {@code POST /matchmake} requests refused (bad request, no seat, Redis unavailable). */
    public final AtomicLong matchmakesRefused = new AtomicLong();
    /** Clustered: {@code POST /matchmake} requests refused 429 (also counted refused): over their address's budget. */
    public final AtomicLong matchmakesThrottled = new AtomicLong();
    public final AtomicLong httpNotFound = new AtomicLong();
    /** Requests to an endpoint's path with a method other than GET (GET or HEAD for static files). */
    public final AtomicLong httpMethodNotAllowed = new AtomicLong();
    public final AtomicLong healthRequests = new AtomicLong();
    public final AtomicLong metricsRequests = new AtomicLong();
    public final AtomicLong roomsRequests = new AtomicLong();
    public final AtomicLong serverInfoRequests = new AtomicLong();
    /** Static files answered 200 or 304. */
    public final AtomicLong staticFileRequests = new AtomicLong();
    /** Room inspections answered 200. */
    public final AtomicLong roomInspections = new AtomicLong();
    /** Room inspections refused with 503: too many in flight, a full ring, or no answer in time. */
    public final AtomicLong roomInspectionsRefused = new AtomicLong();
    /** Frames written by all event loops; striped, as every loop adds to them per frame. */
    public final LongAdder framesWritten = new LongAdder();
    public final LongAdder bytesWritten = new LongAdder();
    /** WebSocket frames read from clients, control frames included (each one spends the connection's budget). */
    public final LongAdder framesRead = new LongAdder();
    /** Where every violation and refusal counted here is logged. */
    public final ViolationLog violations = new ViolationLog();
    private final AtomicLongArray invalidMessages = new AtomicLongArray(ClientMessageError.values().length);
    private final AtomicLongArray refusals = new AtomicLongArray(Refusal.values().length);

    /**
     * Counts a message refused for {@code reason} from a peer whose address is not at hand.
     */
    public void onInvalidMessage(final ClientMessageError reason)
    {
        onInvalidMessage(reason, null);
    }

    /**
     * Counts a message refused for {@code reason} and records it in the violation log.
     *
     * @param remote the peer's address, or null.
     */
    public void onInvalidMessage(final ClientMessageError reason, final SocketAddress remote)
    {
        invalidMessages.incrementAndGet(reason.ordinal());
        violations.record(reason.name(), remote);
    }

    /**
     * Counts a connection refused for {@code reason} and records it in the violation log.
     *
     * @param remote the peer's address, or null.
     */
    public void onRefused(final Refusal reason, final SocketAddress remote)
    {
        refusals.incrementAndGet(reason.ordinal());
        violations.record(reason.name(), remote);
    }

    /**
     * @return connections refused for {@code reason}.
     */
    public long refusals(final Refusal reason)
    {
        return refusals.get(reason.ordinal());
    }

    /**
     * @return connections closed after a message was refused for {@code reason}.
     */
    public long invalidMessages(final ClientMessageError reason)
    {
        return invalidMessages.get(reason.ordinal());
    }

    public long invalidMessagesTotal()
    {
        long total = 0;
        for (int i = 0; i < invalidMessages.length(); i++)
        {
            total += invalidMessages.get(i);
        }
        return total;
    }

    public long activeConnections()
    {
        return connectionsOpened.get() - connectionsClosed.get();
    }

    /**
     * @return sessions whose connection is still open: WebSocket connections past the handshake.
     */
    public long activeSessions()
    {
        return handshakes.get() - sessionsClosed.get();
    }
}
