package io.mailbus.smtppool;

import java.time.Instant;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Sends the exchange body, the complete message bytes, to the envelope in the two envelope headers. It never
 * throws: every failure is set on the exchange as an {@link SmtpDeliveryException}, and the outcome is always in the
 * {@link SmtpPoolConstants#DELIVERY_RESULT} header.
 * <p>
 * It never leaves the caller's thread: when every connection is busy it waits for one there, up to poolMaxWait,
 * and always completes synchronously. A JMS listener's local transaction is bound to its thread, and camel-jms does
 * not mark such exchanges transacted, so handing the wait to another thread would let the route's later steps (the
 * outcome sends) run and commit outside that transaction. Concurrency comes from the callers (consumer threads),
 * bounded by the pool.
 */
public class SmtpPoolProducer extends DefaultAsyncProducer {

    private SmtpConnectionPool pool;

    public SmtpPoolProducer(SmtpPoolEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public SmtpPoolEndpoint getEndpoint() {
        return (SmtpPoolEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SmtpPoolConfiguration cfg = getEndpoint().getConfiguration();
        pool = getEndpoint().getComponent().poolFor(cfg);
        if (!cfg.isLazyStart()) {
            pool.release(pool.borrow(), false);
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        OutgoingMessage message = null;
        try {
            message = OutgoingMessage.of(exchange.getMessage());
            sendAndRelease(exchange, message, pool.borrow());
        } catch (SmtpDeliveryException e) {
            pool.failed(e);
            fail(exchange, e, message == null ? null : message.messageId());
        } catch (RuntimeException e) {
            exchange.setException(e);
        } finally {
            if (message != null) {
                message.close();
            }
        }
        callback.done(true);
        return true;
    }

    private void sendAndRelease(Exchange exchange, OutgoingMessage message, SmtpConnection connection) {
        boolean broken = true;
        try {
            int reuseCount = connection.messagesSent();
            Delivered delivered = Delivered.send(connection, message);
            broken = !connection.transport().isOpen(); // a follow-up transaction may have lost the connection
            pool.accepted();
            succeed(exchange, message, delivered, reuseCount);
        } catch (SmtpDeliveryException e) {
            broken = !survives(connection, e);
            pool.failed(e);
            fail(exchange, e, message.messageId());
        } finally {
            pool.release(connection, broken);
        }
    }

    /**
     * A connection may go back to the pool after a clean refusal (a 4xx/5xx reply other than 421, after which Angus
     * sent RSET) if it still answers RSET; after a 421, a timeout or an I/O error it is closed.
     */
    private static boolean survives(SmtpConnection c, SmtpDeliveryException e) {
        int code = e.getReplyCode();
        boolean cleanRefusal = code >= 400 && code < 600 && code != 421 && !(e instanceof SmtpConfigurationException);
        return cleanRefusal && c.transport().isOpen() && c.transport().isConnected();
    }

    private static void succeed(Exchange exchange, OutgoingMessage message, Delivered d, int reuseCount) {
        DeliveryStatus status = d.refused().isEmpty() ? DeliveryStatus.SUCCESS : DeliveryStatus.PARTIAL;
        DeliveryResult result = new DeliveryResult(status, message.messageId(), Instant.now(), d.accepted(),
                                                   d.refused(), false, retryCount(exchange), replyCode(d.reply()),
                                                   EnhancedStatusCode.parse(d.reply()), null);
        Message out = exchange.getMessage();
        if (message.messageId() != null) {
            out.setHeader(SmtpPoolConstants.MESSAGE_ID, message.messageId());
        }
        out.setHeader(SmtpPoolConstants.ACCEPTED_RECIPIENTS, d.accepted());
        out.setHeader(SmtpPoolConstants.REFUSED_RECIPIENTS, d.refused());
        out.setHeader(SmtpPoolConstants.REPLY, d.reply());
        out.setHeader(SmtpPoolConstants.CONNECTION_REUSE_COUNT, reuseCount);
        out.setHeader(SmtpPoolConstants.DELIVERY_RESULT, result);
    }

    private static void fail(Exchange exchange, SmtpDeliveryException e, String messageId) {
        Message out = exchange.getMessage();
        out.setHeader(SmtpPoolConstants.DELIVERY_RESULT, DeliveryResult.of(e, messageId, retryCount(exchange)));
        out.setHeader(SmtpPoolConstants.REFUSED_RECIPIENTS, e.getRecipientFailures());
        if (e.getServerText() != null) {
            out.setHeader(SmtpPoolConstants.REPLY, e.getServerText());
        }
        exchange.setException(e);
    }

    private static int retryCount(Exchange exchange) {
        Integer n = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return n == null ? 0 : n;
    }

    private static int replyCode(String reply) {
        if (reply == null || reply.length() < 3) {
            return 0;
        }
        try {
            return Integer.parseInt(reply.substring(0, 3));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
