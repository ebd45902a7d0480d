package io.tickwire.net.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.tickwire.net.NetCounters;
import io.tickwire.net.Refusal;

/**
 * Netty's aggregator, but a body over the limit is always answered 413 and the connection closed: Netty keeps a
 * keep-alive connection open after its 413 (and reads on, discarding), which lets one client hold it until the idle
 * timeout. One per channel, on its event loop.
 */
public final class ClosingHttpAggregator extends HttpObjectAggregator
{
    private final NetCounters counters;

    /**
     * @param maxContentLength longest request body accepted, in bytes.
     */
    public ClosingHttpAggregator(final int maxContentLength, final NetCounters counters)
    {
        super(maxContentLength, true);
        this.counters = counters;
    }

    protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
    {
        Refusals.refuse(ctx, counters, Refusal.HTTP_BODY_TOO_LARGE, "request body too large\n");
    }
}
