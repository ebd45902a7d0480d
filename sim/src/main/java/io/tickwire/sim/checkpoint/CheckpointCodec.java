package io.tickwire.sim.checkpoint;

/**
 * Checkpoint bytes: {@code "TWC1"} then a Kryo stream of one {@link RoomSnapshot} (its seats and game bytes inside).
 * Kryo with registration required, references off and explicit ids ({@code RoomSnapshot} 20, {@code SeatState} 21,
 * {@code String[]} 22, {@code byte[]} 23, {@code HashMap} 24), hand-written serializers (no reflection). One
 * {@code Kryo}/{@code Output}/{@code Input} per thread: a cold path, off the shard thread.
 */
public final class CheckpointCodec
{
    private CheckpointCodec()
    {
    }

    /**
     * Encodes a filled frame. Any thread but the shard's; the caller releases the frame afterwards.
     *
     * @return the checkpoint bytes.
     */
    public static byte[] write(final CheckpointFrame frame)
    {
        throw new UnsupportedOperationException("PR0");
    }

    /**
     * Decodes checkpoint bytes. Any thread.
     *
     * @return a new snapshot that owns its game bytes.
     * @throws CheckpointFormatException when the bytes are not a checkpoint of this format (foreign, truncated,
     *                                   unregistered class, lengths out of range).
     */
    public static RoomSnapshot read(final byte[] bytes) throws CheckpointFormatException
    {
        throw new UnsupportedOperationException("PR0");
    }
}
