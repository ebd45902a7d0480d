package io.tickwire.net;

import io.tickwire.api.GameProvider;
import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.testing.FakeEntityWriter;
import io.tickwire.api.testing.FakePlayer;
import io.tickwire.api.testing.FakeRoom;
import io.tickwire.testsupport.CommittedVectors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * {@code web/test/vectors/demo-motion.json}: how the real ArenaGame and TagGame move a player's avatar for each
 * input, driven through FakeRoom, for the demo's prediction tests ({@code web/test/unit/demo-motion.test.mjs}). Per
 * game and player speed: the speed in steps per tick (full stick along x), an FNV-1a digest of the (vx, vy) that one
 * tick of every stick (moveX, moveY) in -127..127 gives, a few of those intents in clear, and a trajectory into a
 * corner of a small world (clamping). Fails when the games no longer move as the committed vectors say (the demo's
 * prediction would be wrong); {@code -Dtickwire.writeVectors=true} rewrites them.
 */
class DemoMotionVectorsTest
{
    private static final int TICK_RATE_HZ = 30;
    private static final int MARGIN_STEPS = 400;
    private static final int[][] SAMPLES = {
        {0, 0}, {127, 0}, {0, 127}, {-127, 0}, {0, -127}, {127, 127}, {-127, -127}, {127, -127}, {1, 0}, {-1, 0},
        {0, -1}, {2, 1}, {63, 0}, {64, 0}, {-64, 0}, {64, 64}, {90, 90}, {-90, 90}, {100, -37}, {3, -127},
        {-127, 1}, {126, 127}, {45, -120}, {-7, 11}};

    @Test
    void theGamesMoveAsTheDemosVectorsSay() throws IOException
    {
        final List<String> arena = new ArrayList<>();
        final List<String> tag = new ArrayList<>();
        for (final String speed : new String[] {"120", "97", "33"})
        {
            arena.add(vectors("arena", speed, "20"));
        }
        for (final String speed : new String[] {"150", "77", "1000"})
        {
            tag.add(vectors("tag", speed, "100"));
        }
        CommittedVectors.checkOrWrite(CommittedVectors.directory("../web/test/vectors").resolve("demo-motion.json"),
            "{\n  \"generatedBy\": \"net/src/test/java/io/tickwire/net/DemoMotionVectorsTest.java\",\n" +
            "  \"tickRateHz\": " + TICK_RATE_HZ + ",\n  \"arena\": [\n" + String.join(",\n", arena) +
            "\n  ],\n  \"tag\": [\n" + String.join(",\n", tag) + "\n  ]\n}\n");
    }

    private static String vectors(final String game, final String playerSpeed, final String smallWorldSize)
    {
        final Map<String, String> options = game.equals("arena") ?
            Map.of("playerSpeed", playerSpeed, "npcs", "0") : Map.of("playerSpeed", playerSpeed);
        final FakeRoom room = new FakeRoom(type(game, options));
        final FakePlayer player = playerAwayFromWalls(room);
        final int id = player.entityId();
        final int inputs = room.type().inputSchema().fields().size();
        int digest = 0x811c9dc5;
        final StringBuilder samples = new StringBuilder();
        int speedSteps = 0;
        for (int moveX = -127; moveX <= 127; moveX++)
        {
            for (int moveY = -127; moveY <= 127; moveY++)
            {
                room.input(player, 0, stick(inputs, moveX, moveY));
                final FakeEntityWriter after = room.runTick();
                final int vx = after.get(id, 2);
                final int vy = after.get(id, 3);
                digest = fnv(fnv(digest, vx), vy);
                if (moveX == 127 && moveY == 0)
                {
                    speedSteps = vx;
                }
                if (isSample(moveX, moveY))
                {
                    samples.append(samples.length() == 0 ? "" : ", ")
                        .append("[").append(moveX).append(", ").append(moveY).append(", ").append(vx).append(", ")
                        .append(vy).append("]");
                }
                room.input(player, 0, stick(inputs, -moveX, -moveY));
                room.runTick();
            }
        }
        final Map<String, String> small = new HashMap<>(options);
        small.put("worldSize", smallWorldSize);
        final FakeRoom smallRoom = new FakeRoom(type(game, small));
        return "    {\"playerSpeed\": " + playerSpeed + ", \"speedSteps\": " + speedSteps + ", \"maxPosition\": " +
            maxPosition(room) + ", \"digest\": " + Integer.toUnsignedString(digest) + ",\n" +
            "     \"samples\": [" + samples + "],\n     \"trajectory\": " + trajectory(smallRoom, inputs) + "}";
    }

    private static String trajectory(final FakeRoom room, final int inputs)
    {
        final FakePlayer player = room.join("walker");
        final int id = player.entityId();
        final FakeEntityWriter start = room.runTick();
        final StringBuilder steps = new StringBuilder();
        final int[][] legs = {{-127, -127, 7}, {127, 40, 12}, {-20, 127, 10}, {0, 0, 2}};
        for (final int[] leg : legs)
        {
            for (int tick = 0; tick < leg[2]; tick++)
            {
                room.input(player, 0, stick(inputs, leg[0], leg[1]));
                final FakeEntityWriter after = room.runTick();
                steps.append(steps.length() == 0 ? "" : ", ").append("[").append(leg[0]).append(", ").append(leg[1])
                    .append(", ").append(after.get(id, 0)).append(", ").append(after.get(id, 1)).append(", ")
                    .append(after.get(id, 2)).append(", ").append(after.get(id, 3)).append("]");
            }
        }
        return "{\"maxPosition\": " + maxPosition(room) + ", \"start\": [" + start.get(id, 0) + ", " +
            start.get(id, 1) + "],\n       \"steps\": [" + steps + "]}";
    }

    private static FakePlayer playerAwayFromWalls(final FakeRoom room)
    {
        final int max = maxPosition(room);
        for (int i = 0; i < 32; i++)
        {
            final FakePlayer player = room.join("p" + i);
            final FakeEntityWriter state = room.runTick();
            final int x = state.get(player.entityId(), 0);
            final int y = state.get(player.entityId(), 1);
            if (x > MARGIN_STEPS && y > MARGIN_STEPS && x < max - MARGIN_STEPS && y < max - MARGIN_STEPS)
            {
                return player;
            }
        }
        throw new IllegalStateException("no player spawned away from the walls");
    }

    private static int maxPosition(final FakeRoom room)
    {
        return room.type().entitySchema().fields().get(0).max();
    }

    private static int[] stick(final int inputs, final int moveX, final int moveY)
    {
        final int[] values = new int[inputs];
        values[0] = moveX;
        values[1] = moveY;
        return values;
    }

    private static boolean isSample(final int moveX, final int moveY)
    {
        for (final int[] sample : SAMPLES)
        {
            if (sample[0] == moveX && sample[1] == moveY)
            {
                return true;
            }
        }
        return false;
    }

    private static int fnv(final int hash, final int value)
    {
        int h = hash;
        for (int shift = 0; shift < 32; shift += 8)
        {
            h = (h ^ ((value >>> shift) & 0xff)) * 0x01000193;
        }
        return h;
    }

    private static GameType type(final String name, final Map<String, String> options)
    {
        for (final GameProvider provider : ServiceLoader.load(GameProvider.class))
        {
            if (provider.name().equals(name))
            {
                return provider.create(new GameSettings(TICK_RATE_HZ, 42, options));
            }
        }
        throw new IllegalStateException("no game " + name);
    }
}
