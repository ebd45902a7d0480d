package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.IovArray;

import java.io.IOException;

/**
 * One event loop's write straight to a socket, for a frame of one or two buffers (a snapshot's own header
 * and its shared body). A session uses it only while nothing waits in its channel's outbound buffer, so the bytes
 * keep their order; whatever the kernel does not take at once goes through the pipeline as before. This skips, per
 * frame, the pipeline's outbound walk, the outbound buffer's entries and their recycling, and the flush; on this
 * path the cost of a frame is the system call. A frame of one buffer goes out with {@code write(2)}, a frame of two
 * with {@code writev(2)}: for one buffer the vector only adds work, on both sides of the call (about 6% of the
 * loop's CPU per frame in {@code SessionWriteCpuTime}). Owned by its event loop; the native vector is made on first
 * use, so a loop of another transport never loads the native library through it.
 */
final class DirectSocketWriter
{
    private IovArray vector;

    /**
     * Writes what the kernel takes of {@code first} then {@code second}, without blocking, and advances their
     * reader indexes past it.
     *
     * @param second the frame's second part, or null.
     * @return whether both were written whole.
     * @throws IOException when the socket fails (reset, closed): the caller hands the frame to the pipeline, whose
     *                     write then fails and closes the channel the way Netty reports it.
     */
    boolean write(final FileDescriptor socket, final ByteBuf first, final ByteBuf second) throws IOException
    {
        if ((second == null || !second.isReadable()) && first.hasMemoryAddress())
        {
            first.skipBytes(socket.writeAddress(first.memoryAddress(), first.readerIndex(), first.writerIndex()));
            return !first.isReadable();
        }
        IovArray vector = this.vector;
        if (vector == null)
        {
            vector = new IovArray(2);
            this.vector = vector;
        }
        vector.clear();
        vector.add(first, first.readerIndex(), first.readableBytes());
        final int secondLength = second == null ? 0 : second.readableBytes();
        if (secondLength > 0)
        {
            vector.add(second, second.readerIndex(), secondLength);
        }
        final long written = socket.writevAddresses(vector.memoryAddress(0), vector.count());
        final int fromFirst = (int)Math.min(written, first.readableBytes());
        first.skipBytes(fromFirst);
        if (secondLength > 0)
        {
            second.skipBytes((int)(written - fromFirst));
        }
        return !first.isReadable() && secondLength == (int)(written - fromFirst);
    }
}
