package io.tickwire.sim;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A shard offers a tick's snapshots in {@link ShardAgent#SNAPSHOT_STAGES} stages by the arrival of the oldest input
 * each is the first to show, across all its rooms, and flushes after each stage that offered something, so the event
 * loops can write the snapshots of the inputs that waited longest while the shard encodes the rest. A stage holds
 * its share of the ranks the tick's cycle gave out; inputs taken from the ring at an earlier cycle go in the first;
 * snapshots that show no new input go last.
 */
class StagedFanOutTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private final List<Long> offers = new ArrayList<>();
    private final List<Integer> offersAtFlush = new ArrayList<>();
    private ShardDriver driver;

    @BeforeEach
    void setUp()
    {
        driver = new ShardDriver(ShardDriver.config(), 100, List.of(RecordingGame.type("duel", 4, games)),
            "duel:east", "duel:west");
    }

    @Test
    void snapshotsAreOfferedInArrivalOrderAcrossRoomsWithAFlushAfterEachStage()
    {
        final TestClient east1 = join(1, "east");
        final TestClient east2 = join(2, "east");
        final TestClient idle = join(3, "east");
        final TestClient west1 = join(4, "west");
        final TestClient west2 = join(5, "west");
        startCounting();

        west1.input(0, 1, 0);
        east1.input(0, 1, 0);
        west2.input(0, 1, 0);
        east2.input(0, 1, 0);
        driver.tick(1);

        assertEquals(List.of(4L, 1L, 5L, 2L, 3L), offers, "by arrival, whatever the room; no input last");
        assertEquals(List.of(1, 2, 3, 5), offersAtFlush, "a flush after each quarter of the arrivals, then the rest");
    }

    @Test
    void inputsTakenBeforeTheTicksCycleGoInTheFirstStage()
    {
        final TestClient east1 = join(1, "east");
        final TestClient east2 = join(2, "east");
        final TestClient west1 = join(3, "west");
        final TestClient west2 = join(4, "west");
        startCounting();

        east2.input(0, 1, 0);
        driver.doWork();
        west2.input(0, 1, 0);
        east1.input(0, 1, 0);
        west1.input(0, 1, 0);
        driver.tick(1);

        assertEquals(List.of(2L, 4L, 1L, 3L), offers);
        assertEquals(List.of(1, 2, 3, 4), offersAtFlush, "three arrivals this cycle: none in the first quarter");
    }

    @Test
    void aTickWithoutInputsIsOfferedInRoomOrderWithOneFlush()
    {
        join(1, "west");
        join(2, "east");
        join(3, "west");
        startCounting();

        driver.tick(1);

        assertEquals(List.of(2L, 1L, 3L), offers);
        assertEquals(List.of(3), offersAtFlush);
    }

    private TestClient join(final long sessionId, final String room)
    {
        final TestClient client = driver.join(sessionId, "duel", room);
        client.link.offerLog = offers;
        return client;
    }

    private void startCounting()
    {
        driver.tick(2);
        offers.clear();
        driver.afterSnapshots = () -> offersAtFlush.add(offers.size());
    }
}
