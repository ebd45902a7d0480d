package io.tickwire.jmh.ring;

import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.ClientMessageError;
import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.InputCodec;
import io.tickwire.sim.ClientLink;
import io.tickwire.sim.InputRing;
import io.tickwire.sim.InputValues;

/**
 * The message part of what an event loop does with a received INPUT: validate the header, decode and range-check
 * the values against the game's input schema into the loop's reused {@link InputValues}, publish into the shard's
 * ring; the same codec and ring calls the server makes, without the WebSocket frame and the pipeline in front of
 * them, so that the ring benchmarks can run several producers and the shard benchmark can feed a thousand clients.
 * {@link io.tickwire.jmh.net.ServerInboundBenchmark} measures the whole path, frame and handlers included. One per
 * producer thread.
 */
public final class NetInputPath
{
    private final InputCodec codec;
    private final InputValues values = new InputValues();

    public NetInputPath(final InputSchema schema)
    {
        codec = new InputCodec(schema);
        values.count = schema.fieldCount();
    }

    public InputCodec codec()
    {
        return codec;
    }

    public InputValues values()
    {
        return values;
    }

    /**
     * Validates and decodes the input {@code message} is wrapped over, without the ring: the event loop's part.
     */
    public ClientMessageError decode(final ClientMessageFlyweight message)
    {
        final ClientMessageError error = message.validate();
        return error != ClientMessageError.NONE ? error :
            codec.decode(message.buffer(), message.offset(), message.length(), values.values);
    }

    /**
     * Validates, decodes and publishes the input {@code message} is wrapped over.
     *
     * @return true when published; false when invalid or the ring was full.
     */
    public boolean publish(final InputRing ring, final ClientLink link, final ClientMessageFlyweight message)
    {
        return decode(message) == ClientMessageError.NONE && ring.tryPublishInput(link, message, values);
    }
}
