package io.tickwire.sim;

import java.util.Arrays;

/**
 * A uniform grid over a room's positions, rebuilt each tick, answering "which entities are within r of (x, y)"
 * by visiting only the cells the circle's bounding box touches. Rebuild is a counting sort of the rows into cells,
 * O(entities + cells); a query costs the cells visited plus the entities in them, so a client's cost follows what
 * it can see, not the room's size. Shard thread only; allocates only when the entity count grows.
 */
public final class InterestGrid
{
    private static final int MAX_CELLS_PER_AXIS = 256;

    private final int minX;
    private final int minY;
    private final int cellSize;
    private final int cellsX;
    private final int cellsY;
    private final int[] cellStart;
    private int[] cellRows = new int[64];
    private int[] xs = new int[64];
    private int[] ys = new int[64];
    private int[] rowCell = new int[64];
    /** The positions in cell order, beside {@link #cellRows}, so a query reads them in sequence. */
    private int[] cellXs = new int[64];
    private int[] cellYs = new int[64];

    /**
     * @param cellSize side of a cell, in position steps; widened when the world would need more than 256 cells a
     *                 side.
     */
    public InterestGrid(final int minX, final int minY, final int maxX, final int maxY, final int cellSize)
    {
        this.minX = minX;
        this.minY = minY;
        final long extent = Math.max((long)maxX - minX, (long)maxY - minY) + 1;
        this.cellSize = (int)Math.max(Math.max(1, cellSize), (extent + MAX_CELLS_PER_AXIS - 1) / MAX_CELLS_PER_AXIS);
        this.cellsX = (int)(((long)maxX - minX) / this.cellSize) + 1;
        this.cellsY = (int)(((long)maxY - minY) / this.cellSize) + 1;
        this.cellStart = new int[cellsX * cellsY + 1];
    }

    /**
     * Sorts the rows of {@code table} into cells by their position fields.
     */
    public void rebuild(final EntityTable table, final int xField, final int yField)
    {
        final int count = table.count();
        if (count > cellRows.length)
        {
            final int capacity = Math.max(count, cellRows.length * 2);
            cellRows = new int[capacity];
            xs = new int[capacity];
            ys = new int[capacity];
            rowCell = new int[capacity];
            cellXs = new int[capacity];
            cellYs = new int[capacity];
        }

        Arrays.fill(cellStart, 0);
        for (int row = 0; row < count; row++)
        {
            final int x = table.value(row, xField);
            final int y = table.value(row, yField);
            xs[row] = x;
            ys[row] = y;
            final int cell = cellY(y) * cellsX + cellX(x);
            rowCell[row] = cell;
            cellStart[cell + 1]++;
        }
        for (int cell = 0; cell < cellsX * cellsY; cell++)
        {
            cellStart[cell + 1] += cellStart[cell];
        }
        for (int row = count - 1; row >= 0; row--)
        {
            final int at = --cellStart[rowCell[row] + 1];
            cellRows[at] = row;
            cellXs[at] = xs[row];
            cellYs[at] = ys[row];
        }
        // cellStart[c + 1] now holds the start of cell c: shift back so cellStart[c] is c's start.
        System.arraycopy(cellStart, 1, cellStart, 0, cellsX * cellsY);
        cellStart[cellsX * cellsY] = count;
    }

    /**
     * Finds the rows within {@code radius} of {@code (x, y)} (inclusive).
     * <p>
     * Every candidate is written and only those within the radius kept (no branch to mispredict).
     *
     * @param rowsOut      receives the rows found; must hold every row of the table.
     * @param distancesOut receives each row's squared distance.
     * @return the number of rows found.
     */
    public int query(final int x, final int y, final long radius, final int[] rowsOut, final long[] distancesOut)
    {
        final long radiusSquared = radius * radius;
        final int fromX = cellX(x - radius);
        final int toX = cellX(x + radius);
        final int fromY = cellY(y - radius);
        final int toY = cellY(y + radius);
        int found = 0;
        for (int cy = fromY; cy <= toY; cy++)
        {
            // Cells fromX..toX of a grid row are consecutive cells, so their rows are one run of the arrays.
            final int rowOfCells = cy * cellsX;
            for (int i = cellStart[rowOfCells + fromX], end = cellStart[rowOfCells + toX + 1]; i < end; i++)
            {
                final long dx = cellXs[i] - (long)x;
                final long dy = cellYs[i] - (long)y;
                final long distanceSquared = dx * dx + dy * dy;
                rowsOut[found] = cellRows[i];
                distancesOut[found] = distanceSquared;
                found += distanceSquared <= radiusSquared ? 1 : 0;
            }
        }
        return found;
    }

    private int cellX(final long x)
    {
        return (int)Math.max(0, Math.min(cellsX - 1, (x - minX) / cellSize));
    }

    private int cellY(final long y)
    {
        return (int)Math.max(0, Math.min(cellsY - 1, (y - minY) / cellSize));
    }
}
