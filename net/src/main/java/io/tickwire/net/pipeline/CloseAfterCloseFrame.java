package io.tickwire.net.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.TimeUnit;

/**
 * Ends a connection once its close frame is written: a TCP connection is half-closed (FIN after the close frame) and
 * then closed when the peer closes its side, or {@link #GRACE_MS} later; anything else is closed at once. Closing a socket outright while the peer's frames wait unread in its receive buffer makes the kernel send an
 * RST, and a peer that takes the RST first may discard the close frame it had not yet read, so it would see an
 * abnormal closure (1006) instead of the code it was sent. What the peer sends meanwhile is read and dropped
 * ({@link FrameGuard} drops every frame after the close frame). Event loop only.
 */
public final class CloseAfterCloseFrame implements ChannelFutureListener
{
    /** How long a peer may take to close its side after the server's close frame, or to read that frame. */
    public static final long GRACE_MS = 1_000;

    public static final CloseAfterCloseFrame INSTANCE = new CloseAfterCloseFrame();

    private CloseAfterCloseFrame()
    {
    }

    public void operationComplete(final ChannelFuture future)
    {
        final Channel channel = future.channel();
        if (future.isSuccess() && channel instanceof DuplexChannel && channel.isActive())
        {
            ((DuplexChannel)channel).shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), GRACE_MS, TimeUnit.MILLISECONDS);
        }
        else
        {
            channel.close();
        }
    }
}
