package io.mailbus.outcome;

import io.mailbus.request.SendRequest;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The ids of requests a server accepted (2xx), so that the same request arriving again is not sent again. An id is
 * marked only once the attempt's outcome is recorded: marked earlier, a consume that rolled back (an outcome queue
 * unreachable) would come back, be taken for a duplicate and end nowhere. Under a Spring-managed transaction the mark
 * waits for its commit; the ingresses run without one (the JMS listener's own local session, which the outcome sends
 * join; Kafka), so it waits for the exchange to complete without an error, just before the listener commits.
 */
public class DeliveredIds {

    /**
     * The id, with a digest of whom the request is from and to and its subject: the same request sent again is a
     * duplicate, but another caller's request that happens to (or tries to) reuse an id is not, so nobody can have
     * someone else's mail dropped by claiming its id first.
     */
    static String key(SendRequest r) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (Object part : java.util.List.of(String.valueOf(r.getFrom()), r.getTo(), r.getCc(), r.getBcc(),
                    String.valueOf(r.getSubject()))) {
                sha.update(String.valueOf(part).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return r.getId() + ":" + java.util.HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final IdempotentRepository repository;

    public DeliveredIds(IdempotentRepository repository) {
        this.repository = repository;
    }

    boolean contains(SendRequest request) {
        return request != null && repository.contains(key(request));
    }

    void markWhenCommitted(Exchange exchange, SendRequest request) {
        String id = key(request);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    repository.add(id);
                }
            });
            return;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                repository.add(id);
            }
        });
    }
}
