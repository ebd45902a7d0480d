package io.tickwire.games.tag;

import io.tickwire.api.testing.FakeEntityWriter;
import io.tickwire.api.testing.FakePlayer;
import io.tickwire.api.testing.FakeRoom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Map;

import static io.tickwire.games.tag.TagGame.FIELD_VX;
import static io.tickwire.games.tag.TagGame.FIELD_VY;
import static io.tickwire.games.tag.TagGame.FIELD_X;
import static io.tickwire.games.tag.TagGame.FIELD_Y;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagPropertiesTest
{
    private static final int PLAYERS = 3;
    private static final int SPEED = 80;
    private static final int MAX_POSITION = 600 * 16;

    /** One input: player index, moveX, moveY, aim, buttons. */
    @Provide
    Arbitrary<List<int[]>> script()
    {
        return Combinators.combine(
            Arbitraries.integers().between(0, PLAYERS - 1),
            Arbitraries.integers().between(-127, 127),
            Arbitraries.integers().between(-127, 127),
            Arbitraries.integers().between(0, 1023),
            Arbitraries.integers().between(0, 255))
            .as((player, moveX, moveY, aim, buttons) -> new int[] {player, moveX, moveY, aim, buttons})
            .list().ofMaxSize(150);
    }

    /**
     * Whatever players do, every capture stays within the schema's ranges (the fake checks each value) and every
     * avatar within the world.
     */
    @Property(tries = 40)
    void avatarsStayInTheWorldAndInTheSchema(@ForAll("script") final List<int[]> script)
    {
        final FakeRoom room = new FakeRoom(TagGameTest.tag(Map.of()), Map.of("scoreLimit", "3"));
        final FakePlayer[] players = join(room);
        for (final int[] step : script)
        {
            room.input(players[step[0]], Math.max(0, room.tick() - step[3] % 40), step[1], step[2], step[3], step[4]);
            final FakeEntityWriter capture = room.runTick();
            assertEquals(PLAYERS, capture.count());
            for (int row = 0; row < capture.count(); row++)
            {
                final int x = capture.value(row, FIELD_X);
                final int y = capture.value(row, FIELD_Y);
                assertTrue(x >= 0 && x <= MAX_POSITION && y >= 0 && y <= MAX_POSITION);
            }
        }
    }

    /**
     * Without shots, each avatar moves by exactly the documented rule, computed here independently with floating
     * point: {@code m = max(127, ceil(sqrt(mx^2 + my^2)))}, {@code v = trunc(move * S / m)}, clamped to the world.
     */
    @Property(tries = 40)
    void motionFollowsTheDocumentedRule(@ForAll("script") final List<int[]> script)
    {
        final FakeRoom room = new FakeRoom(TagGameTest.tag(Map.of()));
        final FakePlayer[] players = join(room);
        final int[][] intents = new int[PLAYERS][2];
        FakeEntityWriter before = room.runTick();
        for (final int[] step : script)
        {
            room.input(players[step[0]], 0, step[1], step[2], step[3], 0);
            final double m = Math.max(127, Math.ceil(Math.sqrt(step[1] * step[1] + step[2] * step[2])));
            intents[step[0]][0] = (int)(step[1] * SPEED / m);
            intents[step[0]][1] = (int)(step[2] * SPEED / m);
            final FakeEntityWriter after = room.runTick();
            for (int p = 0; p < PLAYERS; p++)
            {
                final int entity = players[p].entityId();
                for (int axis = 0; axis < 2; axis++)
                {
                    final int from = before.get(entity, FIELD_X + axis);
                    final int to = Math.max(0, Math.min(MAX_POSITION, from + intents[p][axis]));
                    assertEquals(to, after.get(entity, FIELD_X + axis));
                    assertEquals(to - from, after.get(entity, axis == 0 ? FIELD_VX : FIELD_VY));
                }
            }
            before = after;
        }
    }

    private static FakePlayer[] join(final FakeRoom room)
    {
        final FakePlayer[] players = new FakePlayer[PLAYERS];
        for (int i = 0; i < PLAYERS; i++)
        {
            players[i] = room.join("p" + i);
        }
        return players;
    }
}
