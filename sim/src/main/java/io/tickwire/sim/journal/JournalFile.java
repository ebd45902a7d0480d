package io.tickwire.sim.journal;

import io.tickwire.codec.VarInts;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32;

/**
 * Writes one journal file: the header, then each record framed as {@code kind | length | payload}, then END with
 * the CRC32 of everything before it. Buffers up to 64 KiB and writes when full, at {@link #flush()} and at
 * {@link #finish()}. Owned by one thread (the journal writer's); allocation free after construction.
 */
public final class JournalFile implements AutoCloseable
{
    private static final int STAGING_LENGTH = 64 * 1024;

    private final WritableByteChannel channel;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_LENGTH).order(JournalFormat.BYTE_ORDER);
    private final UnsafeBuffer stagingView = new UnsafeBuffer(staging);
    private final CRC32 crc = new CRC32();
    private long bytesWritten;
    private boolean finished;

    /**
     * Writes the header into the staging buffer.
     *
     * @param channel the file; closed by {@link #close()}.
     */
    public JournalFile(final WritableByteChannel channel, final JournalHeader header)
    {
        this.channel = channel;
        final int length = header.write(stagingView, 0);
        staging.position(length);
    }

    /**
     * Appends one record.
     *
     * @throws IOException when a write of the staging buffer fails; the file is then broken.
     */
    public void append(final int kind, final DirectBuffer payload, final int offset, final int length)
        throws IOException
    {
        if (finished)
        {
            throw new IllegalStateException("journal finished");
        }
        if (kind < JournalFormat.JOIN || kind == JournalFormat.END || kind > JournalFormat.VIEW ||
            length > JournalFormat.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("bad record: kind " + kind + ", length " + length);
        }
        ensureRoom(1 + VarInts.MAX_LENGTH);
        int at = staging.position();
        stagingView.putByte(at++, (byte)kind);
        at = VarInts.putVarLong(stagingView, at, length);
        staging.position(at);
        int copied = 0;
        while (copied < length)
        {
            ensureRoom(1);
            final int chunk = Math.min(length - copied, staging.remaining());
            stagingView.putBytes(staging.position(), payload, offset + copied, chunk);
            staging.position(staging.position() + chunk);
            copied += chunk;
        }
    }

    /**
     * Writes what is buffered to the channel.
     */
    public void flush() throws IOException
    {
        staging.flip();
        crc.update(staging.duplicate());
        while (staging.hasRemaining())
        {
            bytesWritten += channel.write(staging);
        }
        staging.clear();
    }

    /**
     * Appends END with the CRC of every byte before it, and writes everything.
     */
    public void finish() throws IOException
    {
        flush();
        staging.put((byte)JournalFormat.END).put((byte)4).putInt((int)crc.getValue());
        flush();
        finished = true;
    }

    /**
     * @return bytes handed to the channel so far.
     */
    public long bytesWritten()
    {
        return bytesWritten;
    }

    /**
     * Closes the channel; a file not {@linkplain #finish() finished} is left without END, so a reader sees it was cut
     * short.
     */
    public void close() throws IOException
    {
        channel.close();
    }

    private void ensureRoom(final int length) throws IOException
    {
        if (staging.remaining() < length)
        {
            flush();
        }
    }
}
