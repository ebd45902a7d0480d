package io.tickwire.bots;

import java.util.concurrent.TimeUnit;

/**
 * The figures of one bot at the end of a run, over all its sessions.
 *
 * @param index              index of the bot in the swarm.
 * @param room               room the bot joined, or tried to.
 * @param connected          whether a WebSocket handshake completed.
 * @param joined             whether the server welcomed the bot into the room at least once.
 * @param joinedNs           time the bot spent joined, each session from the welcome until it left or the run ended,
 *                           in ns.
 * @param fullSnapshots      full snapshots (no baseline) received, applied and verified.
 * @param deltaSnapshots     delta snapshots received, applied against their baseline and verified.
 * @param checksumMismatches snapshots that decoded to a view whose checksum differs from the server's; not applied.
 * @param bytesReceived      payload bytes of every binary message received.
 * @param fullSnapshotBytes  payload bytes of the full snapshots counted in {@code fullSnapshots}.
 * @param deltaSnapshotBytes payload bytes of the delta snapshots counted in {@code deltaSnapshots}.
 * @param inputsSent         inputs sent.
 * @param inputsSkipped      inputs not sent because the channel was not writable.
 * @param inputsUntimed      inputs applied, after the warm-up, so late that their send time was no longer kept: their
 *                           latency is not in the histogram.
 * @param errors             errors of every kind, checksum mismatches included.
 * @param plannedDrops       times the bot closed its connection on purpose, for churn.
 * @param unplannedDrops     times the bot's session ended while joined without the bot or the run asking: an error,
 *                           or the server closing.
 * @param reconnects         times the bot was welcomed back after a planned drop.
 * @param joinedAtEnd        whether the bot was joined when the run ended.
 * @param messagesSent       client MESSAGEs sent.
 * @param messagesReceived   room MESSAGEs received, in order and valid.
 * @param messagesDelivered  room MESSAGEs that delivered one of the bot's own messages back to it, and were timed.
 * @param acksSent           ACKs sent.
 * @param resumes            times the bot took its seat back with its resume token after a drop (each also a
 *                           reconnect).
 * @param resumesRefused     resumes the server refused (the bot then joined afresh).
 * @param writesFinishedByChannel writes of the bot's frames straight to its socket (or through its loop's send
 *                           ring) that the socket did not take whole, refused, cut short or failed, whose rest went
 *                           through the channel: the server read slowly, or the connection broke.
 */
public record BotResult(
    int index,
    String room,
    boolean connected,
    boolean joined,
    long joinedNs,
    long fullSnapshots,
    long deltaSnapshots,
    long checksumMismatches,
    long bytesReceived,
    long fullSnapshotBytes,
    long deltaSnapshotBytes,
    long inputsSent,
    long inputsSkipped,
    long inputsUntimed,
    long errors,
    long plannedDrops,
    long unplannedDrops,
    long reconnects,
    boolean joinedAtEnd,
    long messagesSent,
    long messagesReceived,
    long messagesDelivered,
    long acksSent,
    long resumes,
    long resumesRefused,
    long writesFinishedByChannel)
{
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /**
     * The figures of a bot that sent and received no message and no ACK.
     */
    public BotResult(
        final int index,
        final String room,
        final boolean connected,
        final boolean joined,
        final long joinedNs,
        final long fullSnapshots,
        final long deltaSnapshots,
        final long checksumMismatches,
        final long bytesReceived,
        final long fullSnapshotBytes,
        final long deltaSnapshotBytes,
        final long inputsSent,
        final long inputsSkipped,
        final long inputsUntimed,
        final long errors,
        final long plannedDrops,
        final long unplannedDrops,
        final long reconnects,
        final boolean joinedAtEnd)
    {
        this(index, room, connected, joined, joinedNs, fullSnapshots, deltaSnapshots, checksumMismatches,
            bytesReceived, fullSnapshotBytes, deltaSnapshotBytes, inputsSent, inputsSkipped, inputsUntimed, errors,
            plannedDrops, unplannedDrops, reconnects, joinedAtEnd, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The figures of a bot that never resumed.
     */
    public BotResult(
        final int index, final String room, final boolean connected, final boolean joined, final long joinedNs,
        final long fullSnapshots, final long deltaSnapshots, final long checksumMismatches, final long bytesReceived,
        final long fullSnapshotBytes, final long deltaSnapshotBytes, final long inputsSent, final long inputsSkipped,
        final long inputsUntimed, final long errors, final long plannedDrops, final long unplannedDrops,
        final long reconnects, final boolean joinedAtEnd, final long messagesSent, final long messagesReceived,
        final long messagesDelivered, final long acksSent)
    {
        this(index, room, connected, joined, joinedNs, fullSnapshots, deltaSnapshots, checksumMismatches,
            bytesReceived, fullSnapshotBytes, deltaSnapshotBytes, inputsSent, inputsSkipped, inputsUntimed, errors,
            plannedDrops, unplannedDrops, reconnects, joinedAtEnd, messagesSent, messagesReceived, messagesDelivered,
            acksSent, 0, 0, 0);
    }

    /**
     * @return snapshots received and verified, full and delta.
     */
    public long snapshotsReceived()
    {
        return fullSnapshots + deltaSnapshots;
    }

    /**
     * @return whether the bot's connection dropped at least once while it was joined, on purpose or not.
     */
    public boolean dropped()
    {
        return plannedDrops + unplannedDrops > 0;
    }

    /**
     * @return whether the bot dropped and was joined again when the run ended.
     */
    public boolean returned()
    {
        return dropped() && joinedAtEnd;
    }

    /**
     * @return snapshots per second over the time the bot was joined, 0 when it never was.
     */
    public double snapshotsPerSecond()
    {
        return perSecondJoined(snapshotsReceived());
    }

    /**
     * @return bytes received per second over the time the bot was joined, 0 when it never was.
     */
    public double bytesPerSecond()
    {
        return perSecondJoined(bytesReceived);
    }

    /**
     * @return bytes of full snapshots per second over the time the bot was joined, 0 when it never was.
     */
    public double fullSnapshotBytesPerSecond()
    {
        return perSecondJoined(fullSnapshotBytes);
    }

    /**
     * @return bytes of delta snapshots per second over the time the bot was joined, 0 when it never was.
     */
    public double deltaSnapshotBytesPerSecond()
    {
        return perSecondJoined(deltaSnapshotBytes);
    }

    private double perSecondJoined(final long count)
    {
        return joinedNs > 0 ? count * NANOS_PER_SECOND / joinedNs : 0;
    }
}
