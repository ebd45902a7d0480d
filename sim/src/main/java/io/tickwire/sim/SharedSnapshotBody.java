package io.tickwire.sim;

import org.agrona.DirectBuffer;

/**
 * The body of a snapshot (its operations and view checksum, everything after the header and message ack) encoded
 * once in a tick for every client of a room that sees the same entities against a baseline of the same tick and
 * view. Each of those clients gets its own header (sequence, baseline sequence, input and message acks) and this
 * body, so the bytes it receives are those a snapshot encoded for it alone would have.
 * <p>
 * A handle is made by {@link SharedSnapshotBodies#share} and is valid on the shard thread until the next
 * {@link SharedSnapshotBodies#releaseShared()}; a {@link ClientLink} that keeps the body past its offer takes its own
 * reference then (the network layer retains a reference-counted buffer), or copies it.
 */
public interface SharedSnapshotBody
{
    /**
     * @return the body's bytes, from offset 0; shard thread, while the handle is valid.
     */
    DirectBuffer bytes();

    /**
     * @return the body's length in bytes.
     */
    int length();
}
