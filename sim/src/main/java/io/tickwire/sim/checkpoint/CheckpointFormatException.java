package io.tickwire.sim.checkpoint;

/**
 * Checkpoint bytes that are not a checkpoint of this format: a foreign or truncated array, an unknown class id, a
 * length out of range. Checked, so the caller counts it and goes on; {@link CheckpointCodec} never lets an
 * {@link Error} or a Kryo exception out for bad input.
 */
public final class CheckpointFormatException extends Exception
{
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(final String message)
    {
        super(message);
    }

    public CheckpointFormatException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
