package io.tickwire.net;

import io.netty.channel.unix.FileDescriptor;
import io.tickwire.io.IoVectorPair;
import org.agrona.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One event loop's write straight to a socket, for a frame of one or two parts given by native address (a
 * snapshot's own header in its slot, and its shared body). A session uses it only while nothing waits in its
 * channel's outbound buffer, so the bytes keep their order; whatever the kernel does not take at once goes through
 * the pipeline as before. This skips, per frame, the pipeline's outbound walk, the outbound buffer's entries and
 * their recycling, and the flush; on this path the cost of a frame is the system call. A frame of one part goes out
 * with {@code write(2)}, a frame of two with {@code writev(2)}: for one part the vector only adds work, on both sides
 * of the call (about 6% of the loop's CPU per frame in {@code SessionWriteCpuTime}). Owned by its event loop.
 */
final class DirectSocketWriter
{
    /** The two entries of a gathering write's vector; held here, as its memory lives as long as the buffer does. */
    private final ByteBuffer vector = ByteBuffer.allocateDirect(IoVectorPair.BYTES);
    private final long vectorAddress = BufferUtil.address(vector);

    /**
     * Writes what the kernel takes of {@code firstLength} bytes at {@code firstAddress} then {@code secondLength} at
     * {@code secondAddress}, without blocking.
     *
     * @param secondLength the second part's length; 0 for a frame of one part.
     * @return the bytes the kernel took, of both parts in order; 0 when the socket is full.
     * @throws IOException when the socket fails (reset, closed): the caller hands the frame to the pipeline, whose
     *                     write then fails and closes the channel the way Netty reports it.
     */
    long write(
        final FileDescriptor socket,
        final long firstAddress,
        final int firstLength,
        final long secondAddress,
        final int secondLength) throws IOException
    {
        if (secondLength == 0)
        {
            return socket.writeAddress(firstAddress, 0, firstLength);
        }
        IoVectorPair.put(vectorAddress, firstAddress, firstLength, secondAddress, secondLength);
        return socket.writevAddresses(vectorAddress, 2);
    }
}
