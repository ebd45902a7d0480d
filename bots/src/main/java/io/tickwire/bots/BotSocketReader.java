package io.tickwire.bots;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.unix.Socket;
import io.tickwire.io.SocketReadPass;

/**
 * One bot connection's reads in its group's {@link SocketReadPass}: from the WebSocket handshake on, the pass reads
 * the socket at each cycle of the group and hands the bytes to the connection's {@link ServerFrameReader}, which the
 * bytes Netty read before reach through the pipeline. With the channel's auto-read off Netty no longer reads it for
 * input, but still when the peer ends its stream or the socket fails (it watches for those whatever auto-read says):
 * that read too goes whole to the same frame reader on the same thread, so bytes stay in order. The connection goes
 * back to Netty's read path once the reader has read its last frame (a close frame, or a frame that breaks the
 * protocol), and at the end of the stream when the pass reads it first: Netty then reads the end and closes the
 * channel as for any connection, and the bot sees it inactive. Owned by the connection's event loop.
 */
final class BotSocketReader extends SocketReadPass.Reader
{
    private final ServerFrameReader frames;
    private final Channel channel;

    /**
     * @param socket  the connection's socket.
     * @param frames  the reader in the connection's pipeline, past its handshake.
     * @param channel the connection.
     */
    BotSocketReader(final Socket socket, final ServerFrameReader frames, final Channel channel)
    {
        super(socket);
        this.frames = frames;
        this.channel = channel;
    }

    protected boolean isDone()
    {
        return frames.isDone();
    }

    protected void onBytes(final ByteBuf bytes, final long nowNs)
    {
        frames.read(bytes);
    }

    /**
     * Turns the channel's auto-read back on: Netty watches the socket for input again and reads at once.
     */
    protected void onHandBack()
    {
        channel.config().setAutoRead(true);
    }

    protected void exceptionCaught(final Throwable cause)
    {
        frames.context().fireExceptionCaught(cause);
    }

    protected void close()
    {
        channel.close();
    }

    public String toString()
    {
        return "bot connection " + channel;
    }
}
