package io.tickwire.sim;

import io.tickwire.codec.MessageEncoder;
import io.tickwire.codec.MessageReader;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.PresenceEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

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

    /** The room outbox whose message the message encoder and buffer hold. */
    RoomOutbox messageOwner;
}
