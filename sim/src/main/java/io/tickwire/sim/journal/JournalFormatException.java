package io.tickwire.sim.journal;

/**
 * A journal file that breaks {@link JournalFormat}: cut short, a bad CRC, an unknown record kind, a value out of
 * range. Says where.
 */
public final class JournalFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long offset;

    public JournalFormatException(final long offset, final String problem)
    {
        super(problem + " at offset " + offset);
        this.offset = offset;
    }

    /**
     * @return the offset in the file, in bytes, of the record (or header field) at fault.
     */
    public long offset()
    {
        return offset;
    }
}
