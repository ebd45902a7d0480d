package io.tickwire.jmh.sim;

import io.tickwire.api.RoomContext;
import io.tickwire.games.arena.ArenaConfig;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.jmh.AbstractBenchmark;
import io.tickwire.sim.EntityTable;
import io.tickwire.sim.InterestGrid;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.lang.reflect.Proxy;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The interest query of one client: the entities within 100 units (1,600 steps) of a point, in an arena room of
 * {@code entities} entities on the reference 1000 x 1000 world, through the uniform grid rebuilt each tick. The
 * baseline is the brute-force scan of every entity, what the grid saves; {@code rebuild} is the grid's per-tick,
 * per-room cost.
 * <p>
 * The arena game is made directly rather than through its provider, which caps a room at 4,096 entities: the grid
 * is the server's for any game, and 5,000 keeps the sweep comparable with earlier runs.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InterestQueryBenchmark extends AbstractBenchmark
{
    private static final long RADIUS_STEPS = 100L * ArenaConfig.STEPS_PER_UNIT;

    @Param({"200", "1200", "5000"})
    public int entities;

    private EntityTable table;
    private InterestGrid grid;
    private int[] rows;
    private long[] distances;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ArenaConfig config = new ArenaConfig(30, 1000, entities, 60, 0.02, 120);
        final ArenaGame game = new ArenaGame(roomWithRandom(new SplittableRandom(5)), config, entities);
        game.onCreate(null); // the arena reads no create options
        game.step(1);
        table = new EntityTable(ArenaGame.entitySchema(config), entities);
        game.capture(table);
        grid = new InterestGrid(0, 0, config.maxPosition(), config.maxPosition(), (int)RADIUS_STEPS);
        grid.rebuild(table, ArenaGame.FIELD_X, ArenaGame.FIELD_Y);
        rows = new int[entities];
        distances = new long[entities];
    }

    @Benchmark
    public int query()
    {
        final int row = next++ % entities;
        return grid.query(table.value(row, ArenaGame.FIELD_X), table.value(row, ArenaGame.FIELD_Y), RADIUS_STEPS,
            rows, distances);
    }

    @Benchmark
    public int rebuild()
    {
        grid.rebuild(table, ArenaGame.FIELD_X, ArenaGame.FIELD_Y);
        return table.count();
    }

    @Benchmark
    public int baselineBruteForce()
    {
        final int row = next++ % entities;
        final long x = table.value(row, ArenaGame.FIELD_X);
        final long y = table.value(row, ArenaGame.FIELD_Y);
        int found = 0;
        for (int i = 0, n = table.count(); i < n; i++)
        {
            final long dx = table.value(i, ArenaGame.FIELD_X) - x;
            final long dy = table.value(i, ArenaGame.FIELD_Y) - y;
            if (dx * dx + dy * dy <= RADIUS_STEPS * RADIUS_STEPS)
            {
                rows[found] = i;
                distances[found++] = dx * dx + dy * dy;
            }
        }
        return found;
    }

    /**
     * The arena reads only its room's generator; any other call is a broken benchmark.
     */
    private static RoomContext roomWithRandom(final SplittableRandom random)
    {
        return (RoomContext)Proxy.newProxyInstance(RoomContext.class.getClassLoader(),
            new Class<?>[] {RoomContext.class}, (proxy, method, args) ->
            {
                if (method.getName().equals("random"))
                {
                    return random;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    }
}
