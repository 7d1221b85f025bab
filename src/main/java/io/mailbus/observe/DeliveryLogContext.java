package io.mailbus.observe;

import io.mailbus.MailbusHeaders;
import io.mailbus.outcome.DeliveryAttempt;
import io.mailbus.request.SendRequest;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.MDC;

/**
 * Puts the request being delivered in the logging context (MDC) of the delivering thread, so every line logged
 * during its delivery (the pool, the outcome, a retry) says which request, message, tenant and attempt it is about:
 * {@code mailbus.requestId}, {@code mailbus.messageId}, {@code mailbus.tenant}, {@code mailbus.attempt}. Only these
 * identifiers, never the body, a recipient list or a credential. Removed when the exchange completes, so the thread's
 * next request starts clean.
 */
public class DeliveryLogContext {

    public static final String REQUEST_ID = "mailbus.requestId";
    public static final String MESSAGE_ID = "mailbus.messageId";
    public static final String TENANT = "mailbus.tenant";
    public static final String ATTEMPT = "mailbus.attempt";

    private static final SynchronizationAdapter CLEAR = new SynchronizationAdapter() {
        @Override
        public void onDone(Exchange exchange) {
            clear();
        }
    };

    /** After validation and the duplicate check: the request id, tenant and attempt number. */
    public void begin(Exchange exchange) {
        clear();
        SendRequest request = exchange.getProperty(MailbusHeaders.REQUEST_PROPERTY, SendRequest.class);
        if (request != null && request.getId() != null) {
            MDC.put(REQUEST_ID, request.getId());
        }
        DeliveryAttempt attempt = exchange.getProperty(MailbusHeaders.ATTEMPT_PROPERTY, DeliveryAttempt.class);
        if (attempt != null) {
            MDC.put(ATTEMPT, String.valueOf(attempt.number()));
        }
        // the tenant the policy step checked (absent with tenants off), never a header a producer sent
        String tenant = exchange.getProperty(MailbusHeaders.TENANT_PROPERTY, String.class);
        if (tenant != null) {
            MDC.put(TENANT, tenant);
        }
        exchange.getExchangeExtension().addOnCompletion(CLEAR);
    }

    /** After rendering: the Message-ID the message carries. */
    public void rendered(Exchange exchange) {
        String messageId = exchange.getMessage().getHeader(MailbusHeaders.MESSAGE_ID, String.class);
        if (messageId != null) {
            MDC.put(MESSAGE_ID, messageId);
        }
    }

    static void clear() {
        MDC.remove(REQUEST_ID);
        MDC.remove(MESSAGE_ID);
        MDC.remove(TENANT);
        MDC.remove(ATTEMPT);
    }
}
