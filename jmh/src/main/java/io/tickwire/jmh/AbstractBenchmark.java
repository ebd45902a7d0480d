package io.tickwire.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings every benchmark of this module shares (JMH annotations are inherited): thread-scoped state,
 * average time per operation, 3 warm-up and 5 measured iterations of 1 s in one fork, with the JDK internals Agrona
 * reads exported. A benchmark states its own {@code @OutputTimeUnit}, and may override any of these; the command
 * line overrides them all ({@code -f 1 -wi 2 -i 3 -w 1 -r 1}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public abstract class AbstractBenchmark
{
}
