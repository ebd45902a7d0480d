package io.tickwire.jmh.floor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import sun.misc.Signal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The I/O floor on the JVM: the pattern of {@code bench/floor/floor-server.c} in its {@code epoll-tick} mode, done
 * with the primitives Tickwire's event loop uses (Netty's epoll transport, its {@link Socket}'s
 * {@code recvAddress} and {@code writeAddress} on native memory), and nothing else: no WebSocket, no ring, no shard,
 * no game. Per client per tick it reads what the client sent (one 18-byte input) and writes one 30-byte snapshot, on
 * one event loop that wakes once per tick (a scheduled task; the connections are never registered for input, so no
 * input wakes it). Set beside the C floor of the same mode, its extra cost is what the JVM and Netty add to each
 * system call (JNI, the wrappers), which no Java server avoids; set beside Tickwire, the rest is Tickwire's own.
 * <p>
 * Speaks to {@code floor-client} and prints the C floor's counters line (on SIGUSR1, and at SIGTERM/SIGINT), so
 * {@code bench/floor.sh} runs it as the mode {@code java-tick}:
 * <pre>
 *   java -cp jmh/target/tickwire-benchmarks.jar io.tickwire.jmh.floor.JavaFloorServer [--port 7790] [--rate 30]
 * </pre>
 * Every counter and connection is the event loop's; the signal handler only asks it to print.
 */
public final class JavaFloorServer
{
    private static final int INPUT_BUF_BYTES = 1024;
    private static final int SNAPSHOT_BYTES = 30;

    private final List<Socket> sockets = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final ByteBuf scratch = Unpooled.directBuffer(INPUT_BUF_BYTES);
    private final ByteBuf snapshot = Unpooled.directBuffer(SNAPSHOT_BYTES).writeZero(SNAPSHOT_BYTES);
    private long ticks;
    private long reads;
    private long writes;
    private long syscalls;
    private long shortWrites;

    private JavaFloorServer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int port = 7790;
        int ratePerSecond = 30;
        for (int i = 0; i < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--port":
                    port = Integer.parseInt(args[i + 1]);
                    break;
                case "--rate":
                    ratePerSecond = Integer.parseInt(args[i + 1]);
                    break;
                default:
                    System.err.println("usage: JavaFloorServer [--port 7790] [--rate 30]");
                    System.exit(2);
            }
        }
        new JavaFloorServer().run(port, 1_000_000_000L / ratePerSecond);
    }

    private void run(final int port, final long tickPeriodNs) throws Exception
    {
        final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try
        {
            final EventLoop loop = group.next();
            new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>()
                {
                    protected void initChannel(final Channel channel)
                    {
                        channels.add(channel);
                        sockets.add((Socket)((EpollSocketChannel)channel).fd());
                    }
                })
                .bind("127.0.0.1", port).sync();
            loop.scheduleAtFixedRate(this::tick, tickPeriodNs, tickPeriodNs, TimeUnit.NANOSECONDS);
            final CountDownLatch stopped = new CountDownLatch(1);
            Signal.handle(new Signal("USR1"), signal -> loop.execute(this::printCounters));
            final Runnable stop = () ->
            {
                printCounters();
                stopped.countDown();
            };
            Signal.handle(new Signal("TERM"), signal -> loop.execute(stop));
            Signal.handle(new Signal("INT"), signal -> loop.execute(stop));
            stopped.await();
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Reads each connection once and writes its snapshot; a connection at its end or failing is closed and dropped.
     */
    private void tick()
    {
        ticks++;
        syscalls++;
        final long scratchAddress = scratch.memoryAddress();
        final long snapshotAddress = snapshot.memoryAddress();
        for (int i = sockets.size() - 1; i >= 0; i--)
        {
            final Socket socket = sockets.get(i);
            try
            {
                syscalls += 2;
                final int read = socket.recvAddress(scratchAddress, 0, INPUT_BUF_BYTES);
                if (read < 0)
                {
                    drop(i);
                    continue;
                }
                if (read > 0)
                {
                    reads++;
                }
                final int written = socket.writeAddress(snapshotAddress, 0, SNAPSHOT_BYTES);
                if (written == SNAPSHOT_BYTES)
                {
                    writes++;
                }
                else
                {
                    shortWrites++;
                }
            }
            catch (final IOException ex)
            {
                drop(i);
            }
        }
    }

    private void drop(final int index)
    {
        final int last = sockets.size() - 1;
        final Channel channel = channels.get(index);
        sockets.set(index, sockets.get(last));
        channels.set(index, channels.get(last));
        sockets.remove(last);
        channels.remove(last);
        channel.close();
    }

    private void printCounters()
    {
        System.out.printf("floor mode=java-tick ns=%d ticks=%d reads=%d writes=%d wakeups=%d syscalls=%d clients=%d " +
            "short_writes=%d%n", System.nanoTime(), ticks, reads, writes, ticks, syscalls, sockets.size(), shortWrites);
        System.out.flush();
    }
}
