package io.tickwire.bots;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;

/**
 * Renders a {@link SwarmResult} as the end-of-run report, as text or as JSON with the same figures. Every figure
 * comes from an accessor of the result; this class only lays them out.
 * <pre>
 *   {
 *     "config":         what was run: url, bots, game, rooms, behaviour, churn, rates, warm-up, seed, thresholds
 *     "elapsedSeconds": wall time of the run
 *     "bots":           total, connected, joined, dropped, returned, notReturned
 *     "perBot":         snapshotsPerSecond {mean, min}, bytesPerSecond {mean, min}, full/delta bytes per second
 *     "snapshots":      received, full, delta, fullBytes, deltaBytes, checksumMismatches
 *     "inputs":         sent, skipped, untimed, acksSent
 *     "messages":       sent, received, delivered, byType {TYPE: received}
 *     "presence":       rooms, mismatches
 *     "inputLatencyMs", "rttMs", "jitterMs", "messageLatencyMs", "loopLagMs":
 *                       {samples, p50, p90, p99, p99.9, max}  (null: none)
 *     "connections":    unplannedDisconnects, plannedDrops, reconnects, resumes, resumesRefused
 *     "matchmaker":     url (null: none), placed, refused {ERROR: count}, retries, latencyMs (each request, sent to
 *                       answered) and waitMs (a bot's ask to answer, queue included): {samples, p50...}
 *     "rehome":         losses, rehomed, notBack, entityKept, rehomeEntityChanged, rejoinsRefused,
 *                       timeToPlayMs {samples, p50, ...}, lastTickBeforeLossByRoom {ROOM: tick}
 *     "swarmCpu":       the swarm process's own CPU over its window (after the warm-up and the ramp, to the end of
 *                       the duration): windowSeconds, botTicks (snapshots applied and verified), botTicksPerSecond,
 *                       userSecondsPerSecond, systemSecondsPerSecond, microsPerBotTick, userMicrosPerBotTick,
 *                       systemMicrosPerBotTick, eventLoopMicrosPerBotTick, eventLoops, transport  (null: unknown)
 *     "errors":         total, byKind {KIND: count}
 *     "assertions":     [{name, operator, limit, actual, passed}]  (actual null when nothing was measured)
 *     "passed":         true when every assertion holds
 *   }
 * </pre>
 * Stateless; thread safe.
 */
final class SwarmReport
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final double NANOS_PER_MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private SwarmReport()
    {
    }

    /**
     * @return the report as text, several lines each ending in a line separator.
     */
    static String text(final SwarmResult result)
    {
        final SwarmConfig config = result.config();
        final int bots = result.bots().size();
        final StringBuilder text = new StringBuilder(2048);
        line(text, "Tickwire bots: %d bots in %d %s rooms, %s, %s, churn %.3f/s, %.1f s",
            bots, config.rooms(), config.roomType(), config.entryPoint(), config.behaviour().cliName(),
            config.churnPerSecond(), result.elapsedNs() / NANOS_PER_SECOND);
        line(text, "  bots connected       %d / %d", result.connectedCount(), bots);
        line(text, "  bots joined          %d / %d", result.joinedCount(), bots);
        line(text, "  snapshots/s per bot  mean %.1f  min %.1f  (over each bot's joined time)",
            result.meanSnapshotsPerSecond(), result.minSnapshotsPerSecond());
        line(text, "  bytes/s per bot      mean %.0f  min %.0f  (received; in snapshots full %.0f, delta %.0f)",
            result.meanBytesPerSecond(), result.minBytesPerSecond(), result.meanFullSnapshotBytesPerSecond(),
            result.meanDeltaSnapshotBytesPerSecond());
        line(text, "  snapshots received   %d  (%d full, %d delta)", result.snapshotsReceived(), result.fullSnapshots(),
            result.deltaSnapshots());
        line(text, "  snapshot bytes       full %d  delta %d", result.fullSnapshotBytes(), result.deltaSnapshotBytes());
        line(text, "  checksum mismatches  %d", result.checksumMismatches());
        line(text, "  inputs sent          %d  (%d skipped: channel not writable; %d applied too late to time)",
            result.inputsSent(), result.inputsSkipped(), result.inputsUntimed());
        line(text, "  acks sent            %d", result.acksSent());
        line(text, "  writes not taken     %d  (the socket took less than a bot's frames: the rest went through the "
            + "channel)", result.writesFinishedByChannel());
        line(text, "  messages             sent %d  received %d  delivered back %d",
            result.messagesSent(), result.messagesReceived(), result.messagesDelivered());
        if (!result.messagesByType().isEmpty())
        {
            final StringBuilder byType = new StringBuilder();
            result.messagesByType().forEach((type, count) -> byType.append(' ').append(type).append(' ').append(count));
            line(text, "    received by type  %s", byType);
        }
        line(text, "  presence mismatches  %d of %d rooms", result.presenceMismatches(), result.presenceRooms());
        final double warmupSeconds = config.warmupNs() / NANOS_PER_SECOND;
        percentilesLine(text, "input latency ms", result.latencySamples(), result::latencyPercentileMs, warmupSeconds);
        percentilesLine(text, "round trip ms", result.rttSamples(), result::rttPercentileMs, warmupSeconds);
        percentilesLine(text, "snapshot jitter ms", result.jitterSamples(), result::jitterPercentileMs, warmupSeconds);
        percentilesLine(text, "message latency ms", result.messageLatencySamples(),
            result::messageLatencyPercentileMs, warmupSeconds);
        percentilesLine(text, "bot loop lag ms", result.loopLagSamples(), result::loopLagPercentileMs, warmupSeconds);
        cpuLine(text, result.cpu());
        line(text, "  disconnects          %d unplanned, %d planned (churn), %d reconnects",
            result.unplannedDisconnects(), result.plannedDrops(), result.reconnects());
        line(text, "  resumes              %d, %d refused", result.resumes(), result.resumesRefused());
        line(text, "  dropped bots         %d: %d came back, %d did not",
            result.droppedBots(), result.returnedBots(), result.droppedBots() - result.returnedBots());
        if (config.matchmaker() != null)
        {
            matchmakingLines(text, result);
        }
        line(text, "  errors               %d", result.errorCount());
        result.errorsByKind().forEach((kind, count) ->
            line(text, "    %-20s %d  (%s)", kind, count, kind.description()));
        line(text, "  assertions");
        for (final SwarmAssertion assertion : result.assertions())
        {
            line(text, "    %-20s %s %s %s  %s", assertion.name(), number(assertion.actual()), assertion.operator(),
                number(assertion.limit()), assertion.passed() ? "PASS" : "FAIL");
        }
        line(text, "  result               %s", result.passed() ? "PASS" : "FAIL");
        return text.toString();
    }

    /**
     * @return the report as a pretty-printed JSON object, laid out as the class comment shows.
     */
    static String json(final SwarmResult result)
    {
        final ObjectNode root = MAPPER.createObjectNode();
        root.set("config", config(result.config()));
        root.put("elapsedSeconds", result.elapsedNs() / NANOS_PER_SECOND);

        final ObjectNode bots = root.putObject("bots");
        bots.put("total", result.bots().size());
        bots.put("connected", result.connectedCount());
        bots.put("joined", result.joinedCount());
        bots.put("dropped", result.droppedBots());
        bots.put("returned", result.returnedBots());
        bots.put("notReturned", result.droppedBots() - result.returnedBots());

        final ObjectNode perBot = root.putObject("perBot");
        meanAndMin(perBot.putObject("snapshotsPerSecond"), result.meanSnapshotsPerSecond(),
            result.minSnapshotsPerSecond());
        meanAndMin(perBot.putObject("bytesPerSecond"), result.meanBytesPerSecond(), result.minBytesPerSecond());
        perBot.put("fullSnapshotBytesPerSecond", result.meanFullSnapshotBytesPerSecond());
        perBot.put("deltaSnapshotBytesPerSecond", result.meanDeltaSnapshotBytesPerSecond());

        final ObjectNode snapshots = root.putObject("snapshots");
        snapshots.put("received", result.snapshotsReceived());
        snapshots.put("full", result.fullSnapshots());
        snapshots.put("delta", result.deltaSnapshots());
        snapshots.put("fullBytes", result.fullSnapshotBytes());
        snapshots.put("deltaBytes", result.deltaSnapshotBytes());
        snapshots.put("checksumMismatches", result.checksumMismatches());

        final ObjectNode inputs = root.putObject("inputs");
        inputs.put("sent", result.inputsSent());
        inputs.put("skipped", result.inputsSkipped());
        inputs.put("untimed", result.inputsUntimed());
        inputs.put("acksSent", result.acksSent());
        inputs.put("writesFinishedByChannel", result.writesFinishedByChannel());

        final ObjectNode messages = root.putObject("messages");
        messages.put("sent", result.messagesSent());
        messages.put("received", result.messagesReceived());
        messages.put("delivered", result.messagesDelivered());
        final ObjectNode messagesByType = messages.putObject("byType");
        result.messagesByType().forEach(messagesByType::put);

        final ObjectNode presence = root.putObject("presence");
        presence.put("rooms", result.presenceRooms());
        presence.put("mismatches", result.presenceMismatches());

        percentiles(root.putObject("inputLatencyMs"), result.latencySamples(), result::latencyPercentileMs);
        percentiles(root.putObject("rttMs"), result.rttSamples(), result::rttPercentileMs);
        percentiles(root.putObject("jitterMs"), result.jitterSamples(), result::jitterPercentileMs);
        percentiles(root.putObject("messageLatencyMs"), result.messageLatencySamples(),
            result::messageLatencyPercentileMs);
        percentiles(root.putObject("loopLagMs"), result.loopLagSamples(), result::loopLagPercentileMs);

        final ObjectNode connections = root.putObject("connections");
        connections.put("unplannedDisconnects", result.unplannedDisconnects());
        connections.put("plannedDrops", result.plannedDrops());
        connections.put("reconnects", result.reconnects());
        connections.put("resumes", result.resumes());
        connections.put("resumesRefused", result.resumesRefused());

        matchmaking(root, result);

        cpu(root.putObject("swarmCpu"), result.cpu());

        final ObjectNode errors = root.putObject("errors");
        errors.put("total", result.errorCount());
        final ObjectNode byKind = errors.putObject("byKind");
        result.errorsByKind().forEach((kind, count) -> byKind.put(kind.name(), count));

        final ArrayNode assertions = root.putArray("assertions");
        for (final SwarmAssertion assertion : result.assertions())
        {
            final ObjectNode node = assertions.addObject();
            node.put("name", assertion.name());
            node.put("operator", assertion.operator());
            putNumber(node, "limit", assertion.limit());
            putNumber(node, "actual", assertion.actual());
            node.put("passed", assertion.passed());
        }
        root.put("passed", result.passed());

        try
        {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void cpuLine(final StringBuilder text, final SwarmCpu cpu)
    {
        if (cpu.windowNs() <= 0)
        {
            line(text, "  swarm cpu            not measured: the run ended before the warm-up and the ramp did");
            return;
        }
        line(text, "  swarm cpu            %s us per bot-tick (user %s, system %s; event loops %s), user %s s/s, " +
            "system %s s/s, %.0f bot-ticks/s over %.1f s, %d %s loop%s, %d connections read by the loops' read " +
            "passes, %d sends batched by their send rings", number(cpu.microsPerBotTick()),
            number(cpu.userMicrosPerBotTick()), number(cpu.systemMicrosPerBotTick()),
            number(cpu.eventLoopMicrosPerBotTick()), number(cpu.userSecondsPerSecond()),
            number(cpu.systemSecondsPerSecond()), cpu.botTicksPerSecond(), cpu.windowSeconds(), cpu.eventLoops(),
            cpu.transport(), cpu.eventLoops() == 1 ? "" : "s", cpu.readByPass(), cpu.sentByRing());
    }

    private static void cpu(final ObjectNode node, final SwarmCpu cpu)
    {
        node.put("windowSeconds", cpu.windowSeconds());
        node.put("botTicks", cpu.botTicks());
        putNumber(node, "botTicksPerSecond", cpu.botTicksPerSecond());
        putNumber(node, "userSecondsPerSecond", cpu.userSecondsPerSecond());
        putNumber(node, "systemSecondsPerSecond", cpu.systemSecondsPerSecond());
        putNumber(node, "microsPerBotTick", cpu.microsPerBotTick());
        putNumber(node, "userMicrosPerBotTick", cpu.userMicrosPerBotTick());
        putNumber(node, "systemMicrosPerBotTick", cpu.systemMicrosPerBotTick());
        putNumber(node, "eventLoopMicrosPerBotTick", cpu.eventLoopMicrosPerBotTick());
        node.put("eventLoops", cpu.eventLoops());
        node.put("transport", cpu.transport());
        node.put("readByPass", cpu.readByPass());
        node.put("sentByRing", cpu.sentByRing());
    }

    private static void matchmakingLines(final StringBuilder text, final SwarmResult result)
    {
        final MatchmakingFigures figures = result.matchmaking();
        final StringBuilder refused = new StringBuilder();
        figures.refusedByError().forEach((error, count) -> refused.append(' ').append(error).append(' ').append(count));
        line(text, "  matchmaker           %d placed, refused:%s, %d asked again", figures.placed(),
            refused.length() == 0 ? " none" : refused, figures.retries());
        percentilesLine(text, "matchmake ms", figures.requestUs().getTotalCount(), result::matchmakePercentileMs);
        percentilesLine(text, "matchmake wait ms", figures.answerWaitUs().getTotalCount(),
            result::matchmakeWaitPercentileMs);
        line(text, "  re-homes             %d connections lost, %d playing again, %d not back; entity kept %d, " +
            "changed %d; rejoins refused %d", figures.losses(), figures.rehomed(), figures.notBack(),
            figures.entityKept(), figures.rehomeEntityChanged(), figures.rejoinsRefused());
        percentilesLine(text, "loss to playing ms", figures.rehomed(), result::rehomePercentileMs);
    }

    private static void matchmaking(final ObjectNode root, final SwarmResult result)
    {
        final MatchmakingFigures figures = result.matchmaking();
        final ObjectNode matchmaker = root.putObject("matchmaker");
        final URI url = result.config().matchmaker();
        if (url == null)
        {
            matchmaker.putNull("url");
        }
        else
        {
            matchmaker.put("url", url.toString());
        }
        matchmaker.put("placed", figures.placed());
        final ObjectNode refused = matchmaker.putObject("refused");
        figures.refusedByError().forEach((error, count) -> refused.put(error.name(), count));
        matchmaker.put("retries", figures.retries());
        percentiles(matchmaker.putObject("latencyMs"), figures.requestUs().getTotalCount(),
            result::matchmakePercentileMs);
        percentiles(matchmaker.putObject("waitMs"), figures.answerWaitUs().getTotalCount(),
            result::matchmakeWaitPercentileMs);

        final ObjectNode rehome = root.putObject("rehome");
        rehome.put("losses", figures.losses());
        rehome.put("rehomed", figures.rehomed());
        rehome.put("notBack", figures.notBack());
        rehome.put("entityKept", figures.entityKept());
        rehome.put("rehomeEntityChanged", figures.rehomeEntityChanged());
        rehome.put("rejoinsRefused", figures.rejoinsRefused());
        percentiles(rehome.putObject("timeToPlayMs"), figures.rehomed(), result::rehomePercentileMs);
        final ObjectNode ticks = rehome.putObject("lastTickBeforeLossByRoom");
        figures.lastTickBeforeLoss().forEach(ticks::put);
    }

    private static ObjectNode config(final SwarmConfig config)
    {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("url", config.url().toString());
        if (config.matchmaker() != null)
        {
            node.put("matchmaker", config.matchmaker().toString());
            node.put("matchmakerAny", config.matchmakerAny());
        }
        node.put("bots", config.bots());
        node.put("game", config.game().cliName());
        node.put("roomType", config.roomType());
        node.put("rooms", config.rooms());
        node.put("roomPrefix", config.roomPrefix());
        node.put("threads", config.threads());
        node.put("transport", config.transport().cliName());
        node.put("writes", config.writes().cliName());
        node.put("sendBufferBytes", config.sendBufferBytes());
        node.put("durationSeconds", config.durationNs() / NANOS_PER_SECOND);
        node.put("rampPerSecond", config.rampPerSecond());
        node.put("inputRateHz", config.inputRateHz());
        node.put("behaviour", config.behaviour().cliName());
        node.put("churnPerSecond", config.churnPerSecond());
        node.put("pingIntervalMs", config.pingIntervalNs() / NANOS_PER_MILLI);
        node.put("warmupSeconds", config.warmupNs() / NANOS_PER_SECOND);
        node.put("seed", config.seed());
        final ObjectNode thresholds = node.putObject("thresholds");
        thresholds.put("maxErrors", config.thresholds().maxErrors());
        putOptional(thresholds, "maxP99LatencyMs", config.thresholds().maxP99LatencyMs());
        putOptional(thresholds, "minSnapshotsPerSecond", config.thresholds().minSnapshotsPerSecond());
        putOptional(thresholds, "maxP99RttMs", config.thresholds().maxP99RttMs());
        thresholds.put("maxPresenceMismatches", config.thresholds().maxPresenceMismatches());
        return node;
    }

    private static void meanAndMin(final ObjectNode node, final double mean, final double min)
    {
        node.put("mean", mean);
        node.put("min", min);
    }

    private static void percentiles(final ObjectNode node, final long samples, final DoubleUnaryOperator percentileMs)
    {
        node.put("samples", samples);
        for (int i = 0; i < SwarmResult.PERCENTILES.length; i++)
        {
            putNumber(node, SwarmResult.PERCENTILE_NAMES[i], percentileMs.applyAsDouble(SwarmResult.PERCENTILES[i]));
        }
    }

    private static void putOptional(final ObjectNode node, final String name, final OptionalDouble value)
    {
        putNumber(node, name, value.orElse(Double.NaN));
    }

    /**
     * Puts a number, or null for NaN, which JSON cannot express.
     */
    private static void putNumber(final ObjectNode node, final String name, final double value)
    {
        if (Double.isNaN(value))
        {
            node.putNull(name);
        }
        else
        {
            node.put(name, value);
        }
    }

    private static void percentilesLine(
        final StringBuilder text,
        final String name,
        final long samples,
        final DoubleUnaryOperator percentileMs,
        final double warmupSeconds)
    {
        if (samples == 0)
        {
            text.append(String.format(Locale.ROOT, "  %-20s", name));
            line(text, " no samples after the %.1f s warm-up", warmupSeconds);
            return;
        }
        percentiles(text, name, percentileMs);
        line(text, " (%d samples after the %.1f s warm-up)", samples, warmupSeconds);
    }

    /**
     * A line of percentiles recorded from the start of the run, the warm-up included.
     */
    private static void percentilesLine(
        final StringBuilder text, final String name, final long samples, final DoubleUnaryOperator percentileMs)
    {
        if (samples == 0)
        {
            text.append(String.format(Locale.ROOT, "  %-20s", name));
            line(text, " no samples");
            return;
        }
        percentiles(text, name, percentileMs);
        line(text, " (%d samples)", samples);
    }

    private static void percentiles(final StringBuilder text, final String name, final DoubleUnaryOperator percentileMs)
    {
        text.append(String.format(Locale.ROOT, "  %-20s", name));
        for (int i = 0; i < SwarmResult.PERCENTILES.length; i++)
        {
            text.append(String.format(Locale.ROOT, " %s %.2f ", SwarmResult.PERCENTILE_NAMES[i],
                percentileMs.applyAsDouble(SwarmResult.PERCENTILES[i])));
        }
    }

    private static String number(final double value)
    {
        return Double.isNaN(value) ? "none" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static void line(final StringBuilder text, final String format, final Object... args)
    {
        text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
