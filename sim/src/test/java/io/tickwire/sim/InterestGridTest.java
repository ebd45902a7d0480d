package io.tickwire.sim;

import io.tickwire.api.schema.EntitySchema;
import io.tickwire.api.schema.FieldDef;
import io.tickwire.api.schema.FieldRole;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The grid against a brute-force distance scan, on random worlds, radii and query points (inside and outside the
 * world).
 */
class InterestGridTest
{
    @Property(tries = 300)
    void findsExactlyWhatABruteForceScanFinds(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 800) final int entities,
        @ForAll @IntRange(min = 1, max = 70_000) final int worldSize,
        @ForAll @LongRange(min = 0, max = 20_000) final long radius,
        @ForAll @IntRange(min = 1, max = 30_000) final int cellSize)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final EntitySchema schema = new EntitySchema(List.of(
            FieldDef.fixed("x", -worldSize, worldSize, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_X),
            FieldDef.fixed("y", 0, worldSize, 1, FieldDef.NO_PREDICTOR, FieldRole.POSITION_Y)));
        final EntityTable table = new EntityTable(schema, 1000);
        for (int i = 0; i < entities; i++)
        {
            final int row = table.add(i * 3);
            table.set(row, 0, random.nextInt(-worldSize, worldSize + 1));
            table.set(row, 1, random.nextInt(0, worldSize + 1));
        }

        final InterestGrid grid = new InterestGrid(-worldSize, 0, worldSize, worldSize, cellSize);
        grid.rebuild(table, 0, 1);
        final int[] rows = new int[entities];
        final long[] distances = new long[entities];
        for (int q = 0; q < 20; q++)
        {
            final int x = random.nextInt(-worldSize - 1000, worldSize + 1000);
            final int y = random.nextInt(-1000, worldSize + 1000);
            final int found = grid.query(x, y, radius, rows, distances);

            final TreeSet<Integer> expected = new TreeSet<>();
            for (int row = 0; row < entities; row++)
            {
                final long dx = table.value(row, 0) - (long)x;
                final long dy = table.value(row, 1) - (long)y;
                if (dx * dx + dy * dy <= radius * radius)
                {
                    expected.add(row);
                }
            }
            final TreeSet<Integer> actual = new TreeSet<>();
            for (int i = 0; i < found; i++)
            {
                actual.add(rows[i]);
                final long dx = table.value(rows[i], 0) - (long)x;
                final long dy = table.value(rows[i], 1) - (long)y;
                assertEquals(dx * dx + dy * dy, distances[i]);
            }
            assertEquals(expected, actual);
            assertEquals(expected.size(), found, "no row twice");
        }
    }
}
