package io.mailbus.outcome;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The ids of requests a server accepted (2xx), so that the same request arriving again is not sent again. An id is
 * marked only once the attempt's outcome has committed: marked earlier, a consume that rolled back (an outcome
 * queue unreachable) would come back, be taken for a duplicate and end nowhere. On the JMS ingress camel-jms runs the
 * listener in a Spring-managed local transaction, so the mark waits for its commit; elsewhere (Kafka) it waits for
 * the exchange to complete without an error.
 */
public class DeliveredIds {

    private final IdempotentRepository repository;

    public DeliveredIds(IdempotentRepository repository) {
        this.repository = repository;
    }

    boolean contains(String id) {
        return id != null && repository.contains(id);
    }

    void markWhenCommitted(Exchange exchange, String id) {
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
