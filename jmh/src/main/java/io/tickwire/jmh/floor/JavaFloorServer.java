package io.tickwire.jmh.floor;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoHandler;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringIoOps;
import io.tickwire.io.NativeAddress;
import io.tickwire.io.NoWaitContext;
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
 * <p>
 * With {@code --mode uring-send} the reads stay as they are and the tick's writes go through an io_uring of the event
 * loop's own, driven through Netty's public io_uring API on the epoll loop's thread: one {@code IORING_OP_SEND} per
 * client, all submitted, and the previous tick's completions reaped, in one {@code io_uring_enter} at the end of the
 * tick. Beside the C floor's {@code epoll-uring-send} it shows whether a JVM server that keeps its epoll reads could
 * batch its writes at the C floor's price.
 * <p>
 * Speaks to {@code floor-client} and prints the C floor's counters line (on SIGUSR1, and at SIGTERM/SIGINT), so
 * {@code bench/floor.sh} runs it as the modes {@code java-tick} and {@code java-uring-send}:
 * <pre>
 *   java -cp jmh/target/tickwire-benchmarks.jar io.tickwire.jmh.floor.JavaFloorServer [--mode tick|uring-send]
 *       [--port 7790] [--rate 30]
 * </pre>
 * Every counter and connection is the event loop's; the signal handler only asks it to print.
 */
public final class JavaFloorServer
{
    private static final int INPUT_BUF_BYTES = 1024;
    private static final int SNAPSHOT_BYTES = 30;
    /** {@code IORING_OP_SEND} of the kernel's io_uring ABI (include/uapi/linux/io_uring.h): Netty's is not public. */
    private static final byte IORING_OP_SEND = 26;
    /** Submission entries of the write ring: a tick's sends to thousands of clients go in one submission. */
    private static final int SEND_RING_ENTRIES = 8192;

    private final String mode;

    private final List<Socket> sockets = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final ByteBuf scratch = Unpooled.directBuffer(INPUT_BUF_BYTES);
    private final ByteBuf snapshot = Unpooled.directBuffer(SNAPSHOT_BYTES).writeZero(SNAPSHOT_BYTES);
    private long ticks;
    private long reads;
    private long writes;
    private long syscalls;
    private long shortWrites;
    private IoHandler sendRing;
    private IoRegistration sendRegistration;

    private JavaFloorServer(final String mode)
    {
        this.mode = mode;
    }

    public static void main(final String[] args) throws Exception
    {
        int port = 7790;
        int ratePerSecond = 30;
        String mode = "tick";
        for (int i = 0; i < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--mode":
                    mode = args[i + 1];
                    break;
                case "--port":
                    port = Integer.parseInt(args[i + 1]);
                    break;
                case "--rate":
                    ratePerSecond = Integer.parseInt(args[i + 1]);
                    break;
                default:
                    usage();
            }
        }
        if (!mode.equals("tick") && !mode.equals("uring-send"))
        {
            usage();
        }
        new JavaFloorServer(mode).run(port, 1_000_000_000L / ratePerSecond);
    }

    private static void usage()
    {
        System.err.println("usage: JavaFloorServer [--mode tick|uring-send] [--port 7790] [--rate 30]");
        System.exit(2);
    }

    private void run(final int port, final long tickPeriodNs) throws Exception
    {
        final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try
        {
            final EventLoop loop = group.next();
            if (mode.equals("uring-send"))
            {
                loop.submit(() ->
                {
                    openSendRing(loop);
                    return null;
                }).sync();
            }
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
     * Opens the write ring on {@code loop}'s thread, the only one that submits to it or reaps it.
     */
    private void openSendRing(final EventLoop loop) throws Exception
    {
        sendRing = IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setRingSize(SEND_RING_ENTRIES)
            .setCqSize(2 * SEND_RING_ENTRIES))
            .newHandler(loop);
        sendRing.initialize();
        sendRegistration = sendRing.register(new IoUringIoHandle()
        {
            public void handle(final IoRegistration registration, final IoEvent event)
            {
                if (((IoUringIoEvent)event).res() == SNAPSHOT_BYTES)
                {
                    writes++;
                }
                else
                {
                    shortWrites++;
                }
            }

            public void close()
            {
            }
        });
    }

    /**
     * Reads each connection once and writes its snapshot (with the write ring: queues its send, and submits the
     * tick's sends at the end); a connection at its end or failing is closed and dropped.
     */
    private void tick()
    {
        ticks++;
        syscalls++;
        final long scratchAddress = NativeAddress.of(scratch, 0, INPUT_BUF_BYTES);
        final long snapshotAddress = NativeAddress.of(snapshot, 0, SNAPSHOT_BYTES);
        for (int i = sockets.size() - 1; i >= 0; i--)
        {
            final Socket socket = sockets.get(i);
            try
            {
                syscalls++;
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
                if (sendRegistration != null)
                {
                    sendRegistration.submit(new IoUringIoOps(IORING_OP_SEND, (byte)0, (short)0, socket.intValue(),
                        0L, snapshotAddress, SNAPSHOT_BYTES, 0, (short)0, (short)0, (short)0, 0, 0L));
                    continue;
                }
                syscalls++;
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
        if (sendRing != null)
        {
            syscalls++;
            sendRing.run(NoWaitContext.INSTANCE);
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
        System.out.printf("floor mode=java-%s ns=%d ticks=%d reads=%d writes=%d wakeups=%d syscalls=%d clients=%d " +
            "short_writes=%d%n", mode, System.nanoTime(), ticks, reads, writes, ticks, syscalls, sockets.size(),
            shortWrites);
        System.out.flush();
    }
}
