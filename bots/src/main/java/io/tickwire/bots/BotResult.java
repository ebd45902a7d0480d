package io.tickwire.bots;

import java.util.concurrent.TimeUnit;

/**
 * The figures of one bot at the end of a run.
 *
 * @param index             index of the bot in the swarm.
 * @param room              room the bot joined, or tried to.
 * @param connected         whether the WebSocket handshake completed.
 * @param joined            whether the server welcomed the bot into the room.
 * @param joinedNs          time the bot spent joined, from the welcome until it left or the run ended, in ns.
 * @param snapshotsReceived snapshots received and verified.
 * @param bytesReceived     payload bytes of every binary message received.
 * @param inputsSent        inputs sent.
 * @param inputsSkipped     inputs not sent because the channel was not writable.
 * @param errors            errors of every kind.
 */
public record BotResult(
    int index,
    String room,
    boolean connected,
    boolean joined,
    long joinedNs,
    long snapshotsReceived,
    long bytesReceived,
    long inputsSent,
    long inputsSkipped,
    long errors)
{
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /**
     * @return snapshots per second over the time the bot was joined, 0 when it never was.
     */
    public double snapshotsPerSecond()
    {
        return perSecondJoined(snapshotsReceived);
    }

    /**
     * @return bytes received per second over the time the bot was joined, 0 when it never was.
     */
    public double bytesPerSecond()
    {
        return perSecondJoined(bytesReceived);
    }

    private double perSecondJoined(final long count)
    {
        return joinedNs > 0 ? count * NANOS_PER_SECOND / joinedNs : 0;
    }
}
