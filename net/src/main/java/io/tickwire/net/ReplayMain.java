package io.tickwire.net;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.sim.GameCatalog;
import io.tickwire.sim.ReplayReport;
import io.tickwire.sim.RoomReplayer;
import io.tickwire.sim.journal.JournalFormatException;
import io.tickwire.sim.journal.JournalHeader;
import io.tickwire.sim.journal.JournalReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The replay tool: {@code java -cp tickwire-server.jar io.tickwire.net.ReplayMain --checkpoint D/1200.twc --journal
 * D/1200.twj [--until-tick N] [--dump-entities]}. Checks the journal whole (every byte, its CRC), builds the room's
 * game from the games on the class path with the settings the journal's header recorded (tick rate, seed, game
 * options), restores the checkpoint and replays the journal ({@link RoomReplayer}), then prints
 * {@code ticks N, world checksums N/N, view checksums M/M, ...} and the first mismatch. Exit status: 0 when
 * everything matched, 1 on a mismatch, 2 when the files are unusable (unreadable, malformed, not each other's, a
 * game not on the class path or whose schemas changed).
 */
@Command(
    name = "tickwire-replay",
    mixinStandardHelpOptions = true,
    version = "tickwire-replay 0.1.0",
    sortOptions = false,
    description = "Replays a room's input journal from its checkpoint and compares every world and view checksum.")
public final class ReplayMain implements Callable<Integer>
{
    static final int MISMATCH = 1;
    static final int UNUSABLE = 2;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "The checkpoint the " +
        "journal starts from: <dir>/<room>/<tick>.twc.")
    private Path checkpoint;

    @Option(names = "--journal", required = true, paramLabel = "FILE", description = "The journal: " +
        "<dir>/<room>/<tick>.twj.")
    private Path journal;

    @Option(names = "--until-tick", paramLabel = "N", description = "Stop after tick N (default: the whole journal).")
    private long untilTick = Long.MAX_VALUE;

    @Option(names = "--dump-entities", description = "Print the room's entities after the last tick replayed.")
    private boolean dumpEntities;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ReplayMain()).execute(args));
    }

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try
        {
            final byte[] journalBytes = Files.readAllBytes(journal);
            final long records = JournalReader.verify(journalBytes);
            final JournalReader reader = new JournalReader(journalBytes);
            final JournalHeader header = reader.header();
            out.println("room " + header.room() + " (" + header.type() + "), from tick " + header.startTick() + ", " +
                records + " records");
            final RoomReplayer replayer = new RoomReplayer(typeOf(header), header, Files.readAllBytes(checkpoint));
            final ReplayReport report = replayer.replay(reader, untilTick);
            out.println(report);
            replayer.gameErrors().forEach(error -> err.println("game error: " + error));
            if (dumpEntities)
            {
                replayer.dumpEntities().forEach(out::println);
            }
            out.flush();
            return report.allMatch() ? 0 : MISMATCH;
        }
        catch (final IOException | JournalFormatException | IllegalArgumentException ex)
        {
            err.println("cannot replay: " + ex.getMessage());
            return UNUSABLE;
        }
    }

    /**
     * @return the journal's game type, made by its provider on the class path with the settings it was recorded with.
     */
    static GameType typeOf(final JournalHeader header)
    {
        final GameCatalog catalog = GameCatalog.load(ReplayMain.class.getClassLoader(), List.of(header.type()),
            name -> new GameSettings(header.tickRateHz(), header.seed(), header.options()));
        return catalog.get(header.type());
    }
}
