package io.tickwire.jmh.ring;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.sim.ClientLink;
import io.tickwire.sim.InputEvent;
import io.tickwire.sim.InputRing;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Input ring: an arena INPUT frame taken as an event loop takes it (header validated, values decoded against the
 * input schema into the loop's reused values, published) and polled by the shard. {@code publishThenDrain} is one
 * input through the ring on one thread (the cost per input with no contention); {@code oneToOne} runs a producer
 * and the shard's poller on two threads at once, the shape of one event loop feeding one shard; {@code fourToOne}
 * has four producers (four event loops) contending for the ring's cursor. The auxiliary counters report published,
 * refused and drained inputs. The baseline validates and decodes the input without the ring. The frame and the
 * handlers in front of this ({@link io.tickwire.jmh.net.ServerInboundBenchmark}) are not included.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InputRingBenchmark extends AbstractBenchmark
{
    private static final ClientLink LINK = new ClientLink()
    {
        public long sessionId()
        {
            return 1;
        }

        public boolean isOpen()
        {
            return true;
        }

        public boolean isWritable()
        {
            return true;
        }

        public boolean offerSnapshot(final DirectBuffer buffer, final int offset, final int length)
        {
            return true;
        }

        public void sendControl(final DirectBuffer buffer, final int offset, final int length)
        {
        }

        public void close(final int statusCode, final String reason)
        {
        }
    };

    @State(Scope.Group)
    public static class Ring
    {
        final InputRing ring = new InputRing(1 << 16);
    }

    @State(Scope.Thread)
    public static class LocalRing
    {
        final InputRing ring = new InputRing(1024);
    }

    @State(Scope.Thread)
    public static class Producer
    {
        final ClientMessageFlyweight message = new ClientMessageFlyweight();
        final NetInputPath net = new NetInputPath(ArenaGame.INPUT_SCHEMA);
        int seq;

        @Setup(Level.Trial)
        public void setUp()
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[net.codec().maxLength()]);
            message.wrap(frame, 0, net.codec().encode(frame, 0, 0, 1, 0, new int[] {10, -10, 0}));
        }

        boolean publish(final InputRing ring)
        {
            message.inputSeq(++seq);
            return net.publish(ring, LINK, message);
        }
    }

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counts
    {
        public long published;
        public long refused;
        public long drained;
    }

    public static class CountingHandler extends InputRing.InputHandler
    {
        long sum;

        protected void onInputEvent(final InputEvent event)
        {
            sum += event.inputSeq() + event.values()[ArenaGame.INPUT_MOVE_X];
        }
    }

    @State(Scope.Thread)
    public static class Consumer
    {
        final CountingHandler handler = new CountingHandler();
    }

    @Benchmark
    public long publishThenDrain(final LocalRing ring, final Producer producer, final Consumer consumer)
    {
        producer.publish(ring.ring);
        ring.ring.drain(consumer.handler);
        return consumer.handler.sum;
    }

    @Benchmark
    @Group("oneToOne")
    @GroupThreads(1)
    public boolean producer(final Ring ring, final Producer producer, final Counts counts)
    {
        final boolean published = producer.publish(ring.ring);
        if (published)
        {
            counts.published++;
        }
        else
        {
            counts.refused++;
        }
        return published;
    }

    @Benchmark
    @Group("oneToOne")
    @GroupThreads(1)
    public int consumer(final Ring ring, final Consumer consumer, final Counts counts)
    {
        final int drained = ring.ring.drain(consumer.handler);
        counts.drained += drained;
        return drained;
    }

    @Benchmark
    @Group("fourToOne")
    @GroupThreads(4)
    public boolean producers(final Ring ring, final Producer producer, final Counts counts)
    {
        return producer(ring, producer, counts);
    }

    @Benchmark
    @Group("fourToOne")
    @GroupThreads(1)
    public int shard(final Ring ring, final Consumer consumer, final Counts counts)
    {
        return consumer(ring, consumer, counts);
    }

    @Benchmark
    public int baselineValidateOnly(final Producer producer)
    {
        producer.message.inputSeq(++producer.seq);
        return producer.net.decode(producer.message).ordinal() + producer.net.values().values[ArenaGame.INPUT_MOVE_X];
    }
}
