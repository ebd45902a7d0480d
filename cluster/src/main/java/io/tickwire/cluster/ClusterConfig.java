package io.tickwire.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one cluster node. Immutable; build with {@link #builder}. Periods are the design's defaults and only
 * tests shorten them: detection of a dead node takes at most {@code deadAfterMs + reapPeriodMs} plus one round trip.
 */
public final class ClusterConfig
{
    /** Matchmakes one IP address may ask for per second by default: a few players behind one NAT, with retries. */
    public static final int DEFAULT_MATCHMAKES_PER_ADDRESS_PER_SECOND = 20;

    private final URI redisUri;
    private final String prefix;
    private final String advertisedHostPort;
    private final String publicUrl;
    private final byte[] secret;
    private final long checkpointIntervalMs;
    private final long reservationTtlMs;
    private final long rehomeGraceMs;
    private final long heartbeatPeriodMs;
    private final long syncPeriodMs;
    private final long reapPeriodMs;
    private final long deadAfterMs;
    private final long listingPeriodMs;
    private final long commandTimeoutMs;
    private final int checkpointQueueCapacity;
    private final int matchmakesPerAddressPerSecond;

    private ClusterConfig(final Builder b)
    {
        redisUri = b.redisUri;
        prefix = b.prefix;
        advertisedHostPort = b.advertisedHostPort;
        publicUrl = b.publicUrl;
        secret = b.secret.clone();
        checkpointIntervalMs = b.checkpointIntervalMs;
        reservationTtlMs = b.reservationTtlMs;
        rehomeGraceMs = b.rehomeGraceMs;
        heartbeatPeriodMs = b.heartbeatPeriodMs;
        syncPeriodMs = b.syncPeriodMs;
        reapPeriodMs = b.reapPeriodMs;
        deadAfterMs = b.deadAfterMs;
        listingPeriodMs = b.listingPeriodMs;
        commandTimeoutMs = b.commandTimeoutMs;
        checkpointQueueCapacity = b.checkpointQueueCapacity;
        matchmakesPerAddressPerSecond = b.matchmakesPerAddressPerSecond;
    }

    /**
     * @param redisUri           {@code redis://host:port[/db]}
     * @param advertisedHostPort {@code host:port} of this node's HTTP/WebSocket listener; the node id starts with it
     * @param publicUrl          the WebSocket URL the matchmaker hands out for this node, e.g. {@code ws://h:7777/ws}
     * @param secret             HS256 key of reservation tokens, shared by every node (at least 32 bytes)
     * @return a builder with the design's defaults for everything else
     */
    public static Builder builder(
        final String redisUri, final String advertisedHostPort, final String publicUrl, final byte[] secret)
    {
        return new Builder(redisUri, advertisedHostPort, publicUrl, secret);
    }

    /** @return the Redis server, {@code redis://host:port[/db]} */
    public URI redisUri()
    {
        return redisUri;
    }

    /** @return the prefix of every key this cluster uses, e.g. {@code tw:} */
    public String prefix()
    {
        return prefix;
    }

    /** @return {@code host:port} of this node, the start of its node id */
    public String advertisedHostPort()
    {
        return advertisedHostPort;
    }

    /** @return this node's WebSocket URL as handed out by matchmakers */
    public String publicUrl()
    {
        return publicUrl;
    }

    /** @return a copy of the HS256 key of reservation tokens */
    public byte[] secret()
    {
        return secret.clone();
    }

    /** @return how often a room writes a checkpoint, ms; 0 = never (rooms are then not re-homed) */
    public long checkpointIntervalMs()
    {
        return checkpointIntervalMs;
    }

    /** @return matchmakes one IP address may ask for per second, sustained (bursts of 3 s worth); 0: no limit */
    public int matchmakesPerAddressPerSecond()
    {
        return matchmakesPerAddressPerSecond;
    }

    /** @return how long an unused reservation holds its seat, ms (also its token's lifetime) */
    public long reservationTtlMs()
    {
        return reservationTtlMs;
    }

    /** @return how long a restored seat waits for its player, ms (the shards apply it) */
    public long rehomeGraceMs()
    {
        return rehomeGraceMs;
    }

    /** @return period of {@code heartbeat.lua}, ms */
    public long heartbeatPeriodMs()
    {
        return heartbeatPeriodMs;
    }

    /** @return period of {@code sync.lua} (room registration), ms */
    public long syncPeriodMs()
    {
        return syncPeriodMs;
    }

    /** @return period of {@code reap.lua} on this node, ms */
    public long reapPeriodMs()
    {
        return reapPeriodMs;
    }

    /** @return age of a node's last heartbeat after which any node reaps it, ms */
    public long deadAfterMs()
    {
        return deadAfterMs;
    }

    /** @return period of the cluster-wide room listing refresh, ms */
    public long listingPeriodMs()
    {
        return listingPeriodMs;
    }

    /** @return Lettuce command timeout, ms: a Redis that does not answer within it fails the operation */
    public long commandTimeoutMs()
    {
        return commandTimeoutMs;
    }

    /** @return checkpoint frames that may wait for upload; more are released and counted as dropped */
    public int checkpointQueueCapacity()
    {
        return checkpointQueueCapacity;
    }

    /** Collects settings; not thread safe. */
    public static final class Builder
    {
        private final URI redisUri;
        private final String advertisedHostPort;
        private final String publicUrl;
        private final byte[] secret;
        private String prefix = "tw:";
        private long checkpointIntervalMs = 1_000;
        private long reservationTtlMs = 10_000;
        private long rehomeGraceMs = 15_000;
        private long heartbeatPeriodMs = 500;
        private long syncPeriodMs = 250;
        private long reapPeriodMs = 500;
        private long deadAfterMs = 1_500;
        private long listingPeriodMs = 1_000;
        private long commandTimeoutMs = 1_000;
        private int checkpointQueueCapacity = 1_024;
        private int matchmakesPerAddressPerSecond = DEFAULT_MATCHMAKES_PER_ADDRESS_PER_SECOND;

        private Builder(
            final String redisUri, final String advertisedHostPort, final String publicUrl, final byte[] secret)
        {
            this.redisUri = URI.create(Objects.requireNonNull(redisUri, "redisUri"));
            if (!"redis".equals(this.redisUri.getScheme()))
            {
                throw new IllegalArgumentException("not a redis:// URI: " + redisUri);
            }
            this.advertisedHostPort = Objects.requireNonNull(advertisedHostPort, "advertisedHostPort");
            this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
            if (secret.length < 32)
            {
                throw new IllegalArgumentException("the cluster secret needs at least 32 bytes");
            }
            this.secret = secret.clone();
        }

        /** @param prefix the key prefix, non-empty, no glob characters */
        public Builder prefix(final String prefix)
        {
            if (prefix.isEmpty() || prefix.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c <= ' '))
            {
                throw new IllegalArgumentException("bad key prefix: " + prefix);
            }
            this.prefix = prefix;
            return this;
        }

        /** @param perSecond matchmakes one IP address may ask for per second, sustained; 0 for no limit */
        public Builder matchmakesPerAddressPerSecond(final int perSecond)
        {
            if (perSecond < 0)
            {
                throw new IllegalArgumentException("matchmakes per address per second must be 0 or more");
            }
            matchmakesPerAddressPerSecond = perSecond;
            return this;
        }

        /** @param interval checkpoint interval; zero turns checkpoints off */
        public Builder checkpointInterval(final Duration interval)
        {
            checkpointIntervalMs = nonNegativeMs(interval);
            return this;
        }

        /** @param ttl lifetime of a reservation, positive */
        public Builder reservationTtl(final Duration ttl)
        {
            reservationTtlMs = positiveMs(ttl);
            return this;
        }

        /** @param grace how long a restored seat waits for its player */
        public Builder rehomeGrace(final Duration grace)
        {
            rehomeGraceMs = nonNegativeMs(grace);
            return this;
        }

        /**
         * Failure detection timing (tests shorten it).
         *
         * @param heartbeat heartbeat period
         * @param sync      room sync period
         * @param reap      reap period
         * @param deadAfter heartbeat age after which a node is reaped; more than twice the heartbeat period
         */
        public Builder periods(
            final Duration heartbeat, final Duration sync, final Duration reap, final Duration deadAfter)
        {
            if (deadAfter.compareTo(heartbeat.multipliedBy(2)) <= 0)
            {
                throw new IllegalArgumentException("deadAfter must exceed two heartbeat periods");
            }
            heartbeatPeriodMs = positiveMs(heartbeat);
            syncPeriodMs = positiveMs(sync);
            reapPeriodMs = positiveMs(reap);
            deadAfterMs = positiveMs(deadAfter);
            return this;
        }

        /** @param period room listing refresh period */
        public Builder listingPeriod(final Duration period)
        {
            listingPeriodMs = positiveMs(period);
            return this;
        }

        /** @param timeout Redis command timeout */
        public Builder commandTimeout(final Duration timeout)
        {
            commandTimeoutMs = positiveMs(timeout);
            return this;
        }

        /** @param capacity checkpoint frames that may wait for upload, positive */
        public Builder checkpointQueueCapacity(final int capacity)
        {
            if (capacity < 1)
            {
                throw new IllegalArgumentException("capacity < 1");
            }
            checkpointQueueCapacity = capacity;
            return this;
        }

        /** @return the settings */
        public ClusterConfig build()
        {
            return new ClusterConfig(this);
        }

        private static long positiveMs(final Duration d)
        {
            final long ms = d.toMillis();
            if (ms <= 0)
            {
                throw new IllegalArgumentException("not positive: " + d);
            }
            return ms;
        }

        private static long nonNegativeMs(final Duration d)
        {
            if (d.isNegative())
            {
                throw new IllegalArgumentException("negative: " + d);
            }
            return d.toMillis();
        }
    }
}
