package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.util.Recycler;

/**
 * One connection's snapshot as two buffers written back to back (one gathering write): its own WebSocket frame
 * header and snapshot header, and its reference to a body shared with other connections. Taken from a recycler by
 * the shard that offers it, filled, and handed whole through the session's snapshot slot, so the two parts are
 * never paired with another tick's; the event loop that writes it (or whichever thread replaces or drops it) hands
 * its buffers on or releases them, then recycles the holder.
 */
final class SnapshotFrame
{
    private static final Recycler<SnapshotFrame> RECYCLER = new Recycler<>()
    {
        protected SnapshotFrame newObject(final Handle<SnapshotFrame> handle)
        {
            return new SnapshotFrame(handle);
        }
    };

    private final Recycler.Handle<SnapshotFrame> handle;
    private ByteBuf header;
    private ByteBuf body;

    private SnapshotFrame(final Recycler.Handle<SnapshotFrame> handle)
    {
        this.handle = handle;
    }

    /**
     * @return a holder owning both buffers.
     */
    static SnapshotFrame of(final ByteBuf header, final ByteBuf body)
    {
        final SnapshotFrame frame = RECYCLER.get();
        frame.header = header;
        frame.body = body;
        return frame;
    }

    ByteBuf header()
    {
        return header;
    }

    ByteBuf body()
    {
        return body;
    }

    /**
     * @return the frame's length on the wire.
     */
    int readableBytes()
    {
        return header.readableBytes() + body.readableBytes();
    }

    /**
     * Recycles the holder once its buffers have been handed on (written): it no longer owns them.
     */
    void recycle()
    {
        header = null;
        body = null;
        handle.recycle(this);
    }

    /**
     * Releases both buffers (the snapshot was replaced or dropped) and recycles the holder.
     */
    void release()
    {
        header.release();
        body.release();
        recycle();
    }
}
