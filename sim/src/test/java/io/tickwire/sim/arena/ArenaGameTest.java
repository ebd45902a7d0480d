package io.tickwire.sim.arena;

import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.Welcome;
import io.tickwire.sim.EntityTable;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaGameTest
{
    private static final int TICK_RATE_HZ = 30;

    @Test
    void declaresTheSchemaOfTheProtocolsGoldenWelcome() throws Exception
    {
        final StringBuilder hex = new StringBuilder();
        for (final String line : Files.readAllLines(Path.of("../codec/src/test/resources/golden/welcome.hex")))
        {
            hex.append(line.replaceAll("#.*", "")).append(' ');
        }
        final String[] pairs = hex.toString().trim().split("\\s+");
        final byte[] bytes = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(pairs[i], 16);
        }
        final Welcome welcome = (Welcome)new ControlCodec().decode(new UnsafeBuffer(bytes), 0, bytes.length);
        assertEquals(welcome.schema(), ArenaConfig.defaults().create("demo", TICK_RATE_HZ).schema());
    }

    @Test
    void sameSeedAndInputsGiveTheSameWorld()
    {
        assertArrayEquals(run(ArenaConfig.defaults()), run(ArenaConfig.defaults()));
    }

    @Test
    void differentRoomsAreSeededDifferently()
    {
        final EntityTable a = capture(ArenaConfig.defaults().create("a", TICK_RATE_HZ));
        final EntityTable b = capture(ArenaConfig.defaults().create("b", TICK_RATE_HZ));
        assertTrue(a.value(0, ArenaGame.FIELD_X) != b.value(0, ArenaGame.FIELD_X) ||
            a.value(0, ArenaGame.FIELD_Y) != b.value(0, ArenaGame.FIELD_Y));
    }

    @Test
    void npcsStayInTheWorldAndMoveAtTheirSpeed()
    {
        final ArenaConfig config = ArenaConfig.defaults();
        final ArenaGame game = new ArenaGame(config, 7, TICK_RATE_HZ);
        assertEquals(config.npcsPerRoom(), game.entityCount());
        final float[] previousX = new float[game.entityCount()];
        final float[] previousY = new float[game.entityCount()];
        final float maxStep = config.npcSpeed() / TICK_RATE_HZ * 1.03f;
        for (long tick = 1; tick <= 3000; tick++)
        {
            for (int id = 1; id <= game.entityCount(); id++)
            {
                previousX[id - 1] = game.x(id);
                previousY[id - 1] = game.y(id);
            }
            game.step(tick);
            for (int id = 1; id <= game.entityCount(); id++)
            {
                final float x = game.x(id);
                final float y = game.y(id);
                assertTrue(x >= 0 && x <= config.worldSize() && y >= 0 && y <= config.worldSize());
                final float dx = x - previousX[id - 1];
                final float dy = y - previousY[id - 1];
                assertTrue(Math.sqrt(dx * dx + dy * dy) <= maxStep, "npc " + id + " moved too far");
            }
        }
    }

    @Test
    void playerSpeedIsCappedWhateverTheInput()
    {
        final ArenaConfig config = new ArenaConfig(1000, 0, 60f, 0.02, 120f, 1);
        final ArenaGame game = new ArenaGame(config, 1, TICK_RATE_HZ);
        final int player = game.onJoin("p");
        game.onInput(player, 0, 0, 0);
        game.step(1);
        final float startX = game.x(player);
        final float startY = game.y(player);

        game.onInput(player, 127, 127, 0);
        game.step(2);
        final float dx = game.x(player) - startX;
        final float dy = game.y(player) - startY;
        final double moved = Math.sqrt(dx * dx + dy * dy);
        assertTrue(moved <= 120.0 / TICK_RATE_HZ * 1.03, "moved " + moved);
        assertTrue(moved >= 120.0 / TICK_RATE_HZ * 0.97, "moved " + moved);
    }

    @Test
    void joinsBeyondTheInitialCapacityGrowTheWorld()
    {
        final ArenaGame game = new ArenaGame(new ArenaConfig(1000, 200, 60f, 0.02, 120f, 1), 1, TICK_RATE_HZ);
        int last = 0;
        for (int i = 0; i < 1000; i++)
        {
            final int id = game.onJoin("p" + i);
            assertTrue(id > last);
            assertTrue(game.x(id) >= 0, "player " + id + " exists");
            last = id;
        }
        assertEquals(1200, game.entityCount());
    }

    @Test
    void straightMotionAdvancesPositionByExactlyTheVelocity()
    {
        final ArenaGame game = new ArenaGame(new ArenaConfig(1000, 50, 60f, 0.0, 120f, 3), 3, TICK_RATE_HZ);
        final EntityTable before = capture(game);
        game.step(1);
        final EntityTable after = capture(game);
        int straight = 0;
        for (int row = 0; row < after.count(); row++)
        {
            final int x = before.value(row, ArenaGame.FIELD_X) + before.value(row, ArenaGame.FIELD_VX);
            final int y = before.value(row, ArenaGame.FIELD_Y) + before.value(row, ArenaGame.FIELD_VY);
            if (x >= 0 && x <= 16000 && y >= 0 && y <= 16000)
            {
                assertEquals(x, after.value(row, ArenaGame.FIELD_X));
                assertEquals(y, after.value(row, ArenaGame.FIELD_Y));
                straight++;
            }
        }
        assertTrue(straight > 40);
    }

    @Test
    void idsAscendThroughJoinsAndLeaves()
    {
        final ArenaGame game = new ArenaGame(new ArenaConfig(1000, 5, 60f, 0.02, 120f, 1), 1, TICK_RATE_HZ);
        final int a = game.onJoin("a");
        final int b = game.onJoin("b");
        game.onLeave(a);
        final int c = game.onJoin("c");
        assertTrue(c > b);
        final EntityTable table = capture(game);
        assertEquals(7, table.count());
        for (int i = 1; i < table.count(); i++)
        {
            assertTrue(table.id(i) > table.id(i - 1));
        }
    }

    private static int[] run(final ArenaConfig config)
    {
        final ArenaGame game = (ArenaGame)config.create("demo", TICK_RATE_HZ);
        final int player = game.onJoin("p");
        for (long tick = 1; tick <= 300; tick++)
        {
            game.onInput(player, (int)(tick % 255) - 127, 50, 0);
            game.step(tick);
        }
        final EntityTable table = capture(game);
        final int[] state = new int[table.count() * 2];
        for (int i = 0; i < table.count(); i++)
        {
            state[2 * i] = table.value(i, ArenaGame.FIELD_X);
            state[2 * i + 1] = table.value(i, ArenaGame.FIELD_Y);
        }
        return state;
    }

    private static EntityTable capture(final io.tickwire.sim.Game game)
    {
        final EntityTable table = new EntityTable(game.schema(), 65535);
        game.capture(table);
        return table;
    }
}
