package io.tickwire.sim;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Where a shard keeps the snapshot bodies it shares among clients during one fan-out. Implemented by the network
 * layer with reference-counted pooled buffers, so that each connection writes the shared bytes without copying them;
 * {@link #onHeap()} serves shards whose links copy what they are offered (tests, benchmarks).
 * <pre>
 *   shard thread:  share(bytes) -> body (one reference, the shard's)
 *                  link.offerSnapshot(header, body)  each link that keeps it takes a reference of its own
 *                  ... every room of the tick ...
 *                  releaseShared()                   the shard's references dropped; handles reused next tick
 *   event loops:   write header + body, release their references
 * </pre>
 * One instance per shard, used only by its thread; allocates nothing once its handles have grown to the most
 * bodies one fan-out shares.
 */
public interface SharedSnapshotBodies
{
    /**
     * Copies {@code length} bytes into a new body.
     *
     * @return a handle valid until {@link #releaseShared()}.
     */
    SharedSnapshotBody share(DirectBuffer buffer, int offset, int length);

    /**
     * Drops the shard's reference to every body shared since the last call; their handles may be reused.
     */
    void releaseShared();

    /**
     * @return bodies copied into reused heap arrays, not reference counted: a link must copy a body during its offer.
     */
    static SharedSnapshotBodies onHeap()
    {
        return new HeapBodies();
    }

    /**
     * Bodies in reused heap arrays; see {@link #onHeap()}.
     */
    final class HeapBodies implements SharedSnapshotBodies
    {
        private HeapBody[] bodies = new HeapBody[0];
        private int used;

        public SharedSnapshotBody share(final DirectBuffer buffer, final int offset, final int length)
        {
            if (used == bodies.length)
            {
                bodies = Arrays.copyOf(bodies, Math.max(4, 2 * used));
                for (int i = used; i < bodies.length; i++)
                {
                    bodies[i] = new HeapBody();
                }
            }
            final HeapBody body = bodies[used++];
            if (body.bytes.capacity() < length)
            {
                body.bytes.wrap(new byte[Math.max(length, 2 * body.bytes.capacity())]);
            }
            body.bytes.putBytes(0, buffer, offset, length);
            body.length = length;
            return body;
        }

        public void releaseShared()
        {
            used = 0;
        }
    }

    /**
     * A body of {@link HeapBodies}.
     */
    final class HeapBody implements SharedSnapshotBody
    {
        private final UnsafeBuffer bytes = new UnsafeBuffer(new byte[256]);
        private int length;

        public DirectBuffer bytes()
        {
            return bytes;
        }

        public int length()
        {
            return length;
        }
    }
}
