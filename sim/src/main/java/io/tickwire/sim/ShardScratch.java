package io.tickwire.sim;

import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.ViewChecksum;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.PresenceEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encoders, decoders and buffers one shard's rooms share: the shard thread runs one room callback at a time, so one
 * set serves them all. Shard thread only.
 */
final class ShardScratch
{
    /** Room messages and presence batches are encoded into buffers of this size. */
    static final int STREAM_BUFFER_LENGTH = 16 * 1024;

    final MessageEncoder messageEncoder = new MessageEncoder();
    final UnsafeBuffer messageBuffer = new UnsafeBuffer(new byte[STREAM_BUFFER_LENGTH]);
    final PresenceEncoder presenceEncoder = new PresenceEncoder();
    final UnsafeBuffer presenceBuffer = new UnsafeBuffer(new byte[STREAM_BUFFER_LENGTH]);
    final UnsafeBuffer deferredBuffer = new UnsafeBuffer(new byte[0]);
    final UnsafeBuffer inboundBuffer = new UnsafeBuffer(new byte[0]);
    final MessageReader messageReader = new MessageReader();
    final ControlCodec controlCodec = new ControlCodec();
    final ExpandableArrayBuffer controlBuffer = new ExpandableArrayBuffer(4096);

    /** Checkpoints and restores: the CRC32C of a captured entity table. */
    final CRC32C captureCrc = new CRC32C();
    final ByteBuffer captureCrcChunk = ByteBuffer.allocate(4096);
    /** Journals: the checksum of a whole captured entity table. */
    final ViewChecksum worldChecksum = new ViewChecksum();

    /** The room outbox whose message the message encoder and buffer hold. */
    RoomOutbox messageOwner;
}
