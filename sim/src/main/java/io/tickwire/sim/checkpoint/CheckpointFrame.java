package io.tickwire.sim.checkpoint;

import io.tickwire.api.StateWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One checkpoint of a room, reused: its {@link RoomSnapshot} (platform state by reference) and the game's bytes in
 * an Agrona {@link ExpandableArrayBuffer} written through a {@link BufferStateWriter}. Each room owns two, so one
 * can be encoded while the next is captured; the buffers grow to the largest state saved and then allocate nothing.
 * <pre>
 *   shard thread:     isFree() -> beginGame() -> game.save(writer) -> complete(crc) -> sink.offer(frame)
 *   consumer thread:  CheckpointCodec.write(frame) ... release()          (frame free again)
 * </pre>
 * A frame offered to several consumers is {@link #retain() retained} once per extra consumer before it is handed to
 * them, and is free when each has released it. The release is an ordered write the shard's next
 * {@link #isFree()} reads, so the shard never refills a frame a consumer still reads.
 */
public final class CheckpointFrame
{
    private final RoomSnapshot snapshot;
    private final ExpandableArrayBuffer gameBuffer;
    private final BufferStateWriter gameWriter;
    private final AtomicInteger consumers = new AtomicInteger();

    /**
     * @param seatCapacity        the room type's maximum of clients.
     * @param initialGameCapacity bytes of game state the buffer holds before it first grows.
     */
    public CheckpointFrame(final int seatCapacity, final int initialGameCapacity)
    {
        snapshot = new RoomSnapshot(seatCapacity);
        gameBuffer = new ExpandableArrayBuffer(Math.max(64, initialGameCapacity));
        gameWriter = new BufferStateWriter(gameBuffer);
    }

    /**
     * @return the platform state; the frame's own object.
     */
    public RoomSnapshot snapshot()
    {
        return snapshot;
    }

    /**
     * @return the game's bytes: the first {@link #gameLength()} of this buffer.
     */
    public DirectBuffer game()
    {
        return gameBuffer;
    }

    public int gameLength()
    {
        return snapshot.gameLength();
    }

    /**
     * @return CRC32C of the entity table the room captured at the snapshot's tick.
     */
    public long captureCrc()
    {
        return snapshot.captureCrc();
    }

    /**
     * Shard thread.
     *
     * @return true when no consumer holds the frame: the shard may fill it.
     */
    public boolean isFree()
    {
        return consumers.get() == 0;
    }

    /**
     * Shard thread: starts the game's part of a free frame.
     *
     * @return the writer the game's {@code save} writes into, emptied.
     */
    public StateWriter beginGame()
    {
        if (!isFree())
        {
            throw new IllegalStateException("frame still held by a consumer");
        }
        return gameWriter.reset();
    }

    /**
     * Shard thread: ends the game's part and marks the frame held by one consumer, ready to offer.
     *
     * @param gameVersion the checkpoint version of the room's game type.
     * @param captureCrc  CRC32C of the entity table captured at the snapshot's tick.
     */
    public void complete(final int gameVersion, final long captureCrc)
    {
        snapshot.game(gameVersion, null, gameWriter.length(), captureCrc);
        consumers.set(1);
    }

    /**
     * Adds a consumer: for a sink that hands the frame to more than one (the cluster and the journal); call it before
     * handing the frame on. Any thread that holds the frame.
     */
    public void retain()
    {
        consumers.incrementAndGet();
    }

    /**
     * Gives the frame back: the last consumer to release it frees it for the shard. Consumer thread, once per
     * consumer, after it is done reading.
     */
    public void release()
    {
        if (consumers.decrementAndGet() < 0)
        {
            consumers.set(0);
            throw new IllegalStateException("frame released more often than held");
        }
    }
}
