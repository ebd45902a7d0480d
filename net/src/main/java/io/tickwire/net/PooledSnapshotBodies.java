package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.tickwire.io.NativeAddress;
import io.tickwire.sim.SharedSnapshotBodies;
import io.tickwire.sim.SharedSnapshotBody;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * One shard's shared snapshot bodies as reference-counted pooled buffers. The shard copies a body once into a
 * buffer it holds one reference to; each {@link Session} it is offered to takes a reference of its own as a
 * {@link ByteBuf#retainedDuplicate() retained duplicate} (its own indexes over the same bytes, so connections written
 * at different paces do not disturb each other) and releases it once written, replaced or dropped; the shard drops
 * its reference at {@link #releaseShared()}. The bytes are freed when the last connection has written them, on
 * whichever event loop that is.
 * <p>
 * Bodies come from the {@link PooledByteBufAllocator}: its duplicates are recycled objects, so sharing allocates
 * nothing per client once warm (the adaptive allocator's duplicates are new objects). Shard thread only; the handles
 * are reused from one fan-out to the next.
 */
final class PooledSnapshotBodies implements SharedSnapshotBodies
{
    private final ByteBufAllocator allocator;
    private Body[] bodies = new Body[0];
    private int used;

    PooledSnapshotBodies()
    {
        this(PooledByteBufAllocator.DEFAULT);
    }

    PooledSnapshotBodies(final ByteBufAllocator allocator)
    {
        this.allocator = allocator;
    }

    public SharedSnapshotBody share(final DirectBuffer buffer, final int offset, final int length)
    {
        if (used == bodies.length)
        {
            bodies = Arrays.copyOf(bodies, Math.max(4, 2 * used));
            for (int i = used; i < bodies.length; i++)
            {
                bodies[i] = new Body();
            }
        }
        final Body body = bodies[used++];
        body.buffer = OutboundFrames.copyOf(allocator, buffer, offset, length);
        body.view.wrap(NativeAddress.of(body.buffer, 0, length), length);
        return body;
    }

    public void releaseShared()
    {
        for (int i = 0; i < used; i++)
        {
            bodies[i].buffer.release();
            bodies[i].buffer = null;
            bodies[i].view.wrap(0, 0);
        }
        used = 0;
    }

    /**
     * A body while its fan-out runs: the shard's reference to the buffer.
     */
    static final class Body implements SharedSnapshotBody
    {
        private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        private ByteBuf buffer;

        public DirectBuffer bytes()
        {
            return view;
        }

        public int length()
        {
            return view.capacity();
        }

        /**
         * @return a new reference to the body for one connection, with its own indexes; the caller releases it.
         */
        ByteBuf retainedDuplicate()
        {
            return buffer.retainedDuplicate();
        }
    }
}
