package io.tickwire.net.pipeline;

import io.tickwire.cluster.ConsumeResult;
import io.tickwire.cluster.Reservation;
import io.tickwire.cluster.ReservationTokens;

import java.util.concurrent.CompletionStage;

/**
 * Clustered: what the upgrade guard asks about seat reservations. The checks of a token are CPU only (event loop);
 * taking the seat goes to Redis and completes on another thread.
 */
public interface ReservationGate
{
    /**
     * @return the reservation a token states, when it is signed by the cluster, for this node and unexpired; else
     * the refusal. Never throws.
     */
    ReservationTokens.Verdict verify(String token);

    /**
     * @return the reservation a previous token stated, when it is signed by the cluster and at most an hour old
     * (expiry and audience not checked): the proof of an identity resuming its seat. Never throws.
     */
    ReservationTokens.Verdict verifyProof(String token);

    /**
     * Takes the reservation's seat, at most once cluster-wide.
     *
     * @return the outcome; never completes exceptionally.
     */
    CompletionStage<ConsumeResult> consume(Reservation reservation);
}
