package io.tickwire.bots;

/**
 * The counters of one bot over all its sessions, which become its {@link BotResult} at the end of the run. Plain
 * fields, no allocation until {@link #result}.
 * <p>
 * Single writer: the bot's event loop. {@link #result} may be called from another thread only after that loop has
 * terminated.
 */
final class BotStats
{
    private boolean connected;
    private boolean joined;
    private long joinedNs;
    private long inputsSent;
    private long inputsSkipped;
    private long writesFinishedByChannel;
    private long inputsUntimed;
    private long fullSnapshots;
    private long deltaSnapshots;
    private long fullSnapshotBytes;
    private long deltaSnapshotBytes;
    private long bytesReceived;
    private long checksumMismatches;
    private long errors;
    private long plannedDrops;
    private long unplannedDrops;
    private long reconnects;
    private long resumes;
    private long resumesRefused;
    private long messagesSent;
    private long messagesReceived;
    private long messagesDelivered;
    private long acksSent;

    /**
     * A WebSocket handshake completed.
     */
    void onConnected()
    {
        connected = true;
    }

    /**
     * The server welcomed the bot into its room.
     */
    void onJoined()
    {
        joined = true;
    }

    /**
     * A session in the room ended after {@code sessionNs} nanoseconds joined.
     *
     * @param planned whether the bot or the run asked for it; an unplanned end counts as an unplanned drop.
     */
    void onSessionEnded(final long sessionNs, final boolean planned)
    {
        joinedNs += sessionNs;
        unplannedDrops += planned ? 0 : 1;
    }

    void onPlannedDrop()
    {
        plannedDrops++;
    }

    /**
     * The bot took its seat back with its resume token after a drop.
     */
    void onResume()
    {
        resumes++;
    }

    /**
     * The server refused the bot's resume; it joins afresh.
     */
    void onResumeRefused()
    {
        resumesRefused++;
    }

    void onReconnect()
    {
        reconnects++;
    }

    void onInputSent()
    {
        inputsSent++;
    }

    void onInputSkipped()
    {
        inputsSkipped++;
    }

    void onWriteFinishedByChannel()
    {
        writesFinishedByChannel++;
    }

    /**
     * @param count inputs applied, after the warm-up, too late for their send time to be still kept.
     */
    void onInputsUntimed(final long count)
    {
        inputsUntimed += count;
    }

    /**
     * @param length payload bytes of a binary message, of any type.
     */
    void onBytesReceived(final int length)
    {
        bytesReceived += length;
    }

    /**
     * A snapshot was applied and verified.
     *
     * @param full   whether it had no baseline.
     * @param length its payload bytes.
     */
    void onSnapshot(final boolean full, final int length)
    {
        if (full)
        {
            fullSnapshots++;
            fullSnapshotBytes += length;
        }
        else
        {
            deltaSnapshots++;
            deltaSnapshotBytes += length;
        }
    }

    void onMessageSent()
    {
        messagesSent++;
    }

    void onMessageReceived()
    {
        messagesReceived++;
    }

    /**
     * A room message delivered one of the bot's own messages back to it.
     */
    void onMessageDelivered()
    {
        messagesDelivered++;
    }

    void onAckSent()
    {
        acksSent++;
    }

    void onChecksumMismatch()
    {
        checksumMismatches++;
    }

    void onError()
    {
        errors++;
    }

    long errors()
    {
        return errors;
    }

    long snapshotsReceived()
    {
        return fullSnapshots + deltaSnapshots;
    }

    /**
     * @param index         index of the bot in the swarm.
     * @param room          room the bot joins.
     * @param openSessionNs time joined in a session still open at the end of the run, in nanoseconds; 0 for none.
     * @param joinedAtEnd   whether the bot was joined when the run ended.
     * @return the bot's figures.
     */
    BotResult result(final int index, final String room, final long openSessionNs, final boolean joinedAtEnd)
    {
        return new BotResult(
            index, room, connected, joined, joinedNs + openSessionNs, fullSnapshots, deltaSnapshots,
            checksumMismatches, bytesReceived, fullSnapshotBytes, deltaSnapshotBytes, inputsSent, inputsSkipped,
            inputsUntimed, errors, plannedDrops, unplannedDrops, reconnects, joinedAtEnd, messagesSent,
            messagesReceived, messagesDelivered, acksSent, resumes, resumesRefused, writesFinishedByChannel);
    }
}
