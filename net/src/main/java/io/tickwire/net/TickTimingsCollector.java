package io.tickwire.net;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.tickwire.sim.TickTimings;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Exposes each shard's {@link TickTimings} as two Prometheus summaries, sampled once per scrape:
 * <pre>
 *   tickwire_tick_duration_seconds{shard, quantile="0.5|0.9|0.99|0.999"}   over the interval since the last scrape
 *   tickwire_tick_duration_seconds_count{shard}, _sum{shard}              cumulative since start
 *   tickwire_tick_duration_seconds_max{shard}                             over the interval since the last scrape
 *   tickwire_tick_lateness_seconds...                                     the same for tick start lateness
 * </pre>
 * A Micrometer {@code Timer} would lock and allocate where it records, on the shard thread, and Micrometer has no
 * meter for quantiles computed elsewhere; so this collector is registered on the Prometheus registry underneath
 * the {@link io.micrometer.prometheusmetrics.PrometheusMeterRegistry}. An interval without a cycle (no tick ran,
 * or two scrapes back to back) has NaN quantiles and max, as Prometheus summaries do when they have no
 * observation. Thread safe; the scrape thread allocates the sampled histograms.
 */
final class TickTimingsCollector implements MultiCollector
{
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final String DURATION = "tickwire_tick_duration_seconds";
    private static final String DURATION_HELP = "Duration of a shard cycle that ran ticks: drain, ticks and " +
        "snapshot fan-out; a catch-up cycle is one observation";
    private static final String LATENESS = "tickwire_tick_lateness_seconds";
    private static final String LATENESS_HELP = "How late after its due time a cycle's first tick started";
    private static final String MAX_SUFFIX = "_max";
    private static final String MAX_HELP = ", largest over the interval since the last scrape";

    /**
     * Scrapes closer together than this reuse the last sample: a burst of requests to /metrics neither empties the
     * quantile window Prometheus reads nor takes an event loop's time to swap histograms each time.
     */
    static final long MIN_SAMPLE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final List<Shard> shards = new CopyOnWriteArrayList<>();
    private final AtomicReference<Sample> lastSample = new AtomicReference<>();

    void add(final int shard, final TickTimings timings)
    {
        shards.add(new Shard(Labels.of("shard", Integer.toString(shard)), timings));
    }

    public MetricSnapshots collect()
    {
        final long nowNs = System.nanoTime();
        final Sample last = lastSample.get();
        if (last != null && nowNs - last.sampledNs < MIN_SAMPLE_INTERVAL_NS)
        {
            return last.snapshots;
        }
        final MetricSnapshots snapshots = sample();
        lastSample.set(new Sample(nowNs, snapshots));
        return snapshots;
    }

    private MetricSnapshots sample()
    {
        final SummarySnapshot.Builder duration = SummarySnapshot.builder().name(DURATION).help(DURATION_HELP)
            .unit(Unit.SECONDS);
        final GaugeSnapshot.Builder durationMax = GaugeSnapshot.builder().name(DURATION + MAX_SUFFIX)
            .help(DURATION_HELP + MAX_HELP);
        final SummarySnapshot.Builder lateness = SummarySnapshot.builder().name(LATENESS).help(LATENESS_HELP)
            .unit(Unit.SECONDS);
        final GaugeSnapshot.Builder latenessMax = GaugeSnapshot.builder().name(LATENESS + MAX_SUFFIX)
            .help(LATENESS_HELP + MAX_HELP);

        for (final Shard shard : shards)
        {
            final TickTimings timings = shard.timings;
            final long count = timings.cycleCount();
            final Histogram durations = timings.sampleDurations();
            duration.dataPoint(summary(shard.labels, durations, count, timings.durationTotalNs()));
            durationMax.dataPoint(max(shard.labels, durations));
            final Histogram latenesses = timings.sampleLatenesses();
            lateness.dataPoint(summary(shard.labels, latenesses, count, timings.latenessTotalNs()));
            latenessMax.dataPoint(max(shard.labels, latenesses));
        }
        return MetricSnapshots.of(duration.build(), durationMax.build(), lateness.build(), latenessMax.build());
    }

    private static SummaryDataPointSnapshot summary(
        final Labels labels, final Histogram interval, final long count, final long totalNs)
    {
        final Quantiles.Builder quantiles = Quantiles.builder();
        for (final double quantile : QUANTILES)
        {
            quantiles.quantile(quantile, interval.getTotalCount() == 0 ?
                Double.NaN : Unit.nanosToSeconds(interval.getValueAtPercentile(quantile * 100)));
        }
        return SummaryDataPointSnapshot.builder()
            .labels(labels)
            .quantiles(quantiles.build())
            .count(count)
            .sum(Unit.nanosToSeconds(totalNs))
            .build();
    }

    private static GaugeDataPointSnapshot max(final Labels labels, final Histogram interval)
    {
        return GaugeDataPointSnapshot.builder()
            .labels(labels)
            .value(interval.getTotalCount() == 0 ? Double.NaN : Unit.nanosToSeconds(interval.getMaxValue()))
            .build();
    }

    private record Shard(Labels labels, TickTimings timings)
    {
    }

    private record Sample(long sampledNs, MetricSnapshots snapshots)
    {
    }
}
