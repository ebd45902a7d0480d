package io.tickwire.sim;

import io.tickwire.api.Game;
import io.tickwire.codec.SnapshotEncoder;
import io.tickwire.games.arena.ArenaGame;
import io.tickwire.games.tag.TagGame;
import io.tickwire.testsupport.PlatformMathScan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rooms replay deterministically only if the simulation computes the same bits on every machine: the sim, the
 * codec, the Game API and the built-in games never call the {@code Math} methods a JIT may compute differently
 * (sin, cos, atan2, exp, log, pow, hypot, cbrt...), only their {@code StrictMath} twins. A test that runs a seeded
 * room twice in one JVM cannot see this: both runs use the same intrinsic.
 */
class PlatformMathTest
{
    @Test
    void simulationCodeCallsStrictMathNotPlatformMath() throws Exception
    {
        assertEquals(List.of(), PlatformMathScan.violations(
            ShardAgent.class, SnapshotEncoder.class, Game.class, ArenaGame.class, TagGame.class));
    }
}
