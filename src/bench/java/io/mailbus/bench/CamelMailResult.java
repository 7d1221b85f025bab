package io.mailbus.bench;

import io.mailbus.mime.MimeDataFormat;
import io.mailbus.smtppool.DeliveryResult;
import io.mailbus.smtppool.DeliveryStatus;
import io.mailbus.smtppool.SmtpPoolConstants;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.List;

/**
 * The camel-mail peer's stand-in for the {@link DeliveryResult} smtp-pool sets: stock camel-mail reports nothing
 * per recipient, so a send that did not throw counts as delivered to the whole envelope. Without it the peer's
 * {@code outcomes.delivered} step failed on the missing result and every message took the "failed" branch (an ERROR
 * with a stack trace, a copy to email.dlq), which made the peer slower than camel-mail is.
 */
public final class CamelMailResult {

    public void record(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<String> envelope = exchange.getMessage().getHeader(SmtpPoolConstants.ENVELOPE_TO, List.class);
        String messageId = exchange.getMessage().getHeader(MimeDataFormat.MESSAGE_ID_HEADER, String.class);
        exchange.getMessage().setHeader(SmtpPoolConstants.DELIVERY_RESULT, new DeliveryResult(DeliveryStatus.SUCCESS,
                messageId, Instant.now(), envelope, List.of(), false, 0, 250, "2.0.0", null));
    }
}
