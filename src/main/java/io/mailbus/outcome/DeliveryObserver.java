package io.mailbus.outcome;

import java.time.Instant;

/**
 * Hears of every status event and every delivery attempt as they happen on the delivering thread (metrics), so the
 * outcome code stays unaware of who counts. Must be quick and must not throw.
 */
public interface DeliveryObserver {

    DeliveryObserver NONE = new DeliveryObserver() {
        @Override
        public void event(DeliveryEvent event, Instant acceptedAt) {
        }

        @Override
        public void attempt(String ingress) {
        }
    };

    /** @param acceptedAt when the request was accepted, or null when unknown */
    void event(DeliveryEvent event, Instant acceptedAt);

    /** A delivery attempt begins (after the duplicate check). */
    void attempt(String ingress);
}
