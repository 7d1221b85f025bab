package io.mailbus.ops;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;

/**
 * Moves requests from a dead-letter queue back to {@code email.send}, each in one local JMS transaction: the
 * copy is sent and the original acknowledged in the same session, and the commit makes both happen or neither.
 * A failure rolls the current message back onto its queue, so nothing is lost or sent twice, and the run stops.
 *
 * <p>What moves is fixed first, by browsing: only the messages on the queue when the run starts (a replayed
 * request that fails again and returns to the queue is not taken a second time in the same run). They are then
 * taken by their JMS message id.
 *
 * <p>The copy is a fresh first attempt: the body as it is (the request JSON) and none of the attempt state
 * ({@code MailbusAttempt}, {@code MailbusRetryRecipients}, {@code MailbusHistory}, {@code _AMQ_SCHED_DELIVERY},
 * the outcome's {@code Mailbus*} reply properties); only {@code MailbusIngress}, where the request first came
 * from, its {@code MailbusTenant} and {@code MailbusReplayedFrom} go with it. The exception is a copy about some recipients only
 * ({@code MailbusOwedRecipients}: the rest of a partial delivery, or the refused part of one): the others already
 * have the message, so it goes to the retry queue as an attempt for those recipients alone (the one queue whose
 * attempt state Mailbus reads), not to {@code --to} where it would be taken for a duplicate.
 */
final class Replayer {

    static final String REQUEST_ID = "MailbusRequestId";
    static final String INGRESS = "MailbusIngress";
    static final String TENANT = "MailbusTenant";
    static final String REPLAYED_FROM = "MailbusReplayedFrom";
    static final String OWED_RECIPIENTS = "MailbusOwedRecipients";
    static final String RETRY_RECIPIENTS = "MailbusRetryRecipients";
    private static final int BATCH = 100;
    private static final long RECEIVE_TIMEOUT_MS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message that matched: its JMS id, the request id, and the reply that put it there. */
    record Candidate(String messageId, String requestId, String reply) {
    }

    /** What a run did: the requests moved (or, in a dry run, that would move) and those gone meanwhile. */
    record Result(List<Candidate> moved, List<Candidate> gone, int skipped) {
    }

    /** A run stopped by a failure: the message being moved stays where it was; those before it were moved. */
    static final class ReplayFailedException extends Exception {
        private final transient Result partial;

        ReplayFailedException(String message, Result partial, Throwable cause) {
            super(message, cause);
            this.partial = partial;
        }

        Result partial() {
            return partial;
        }
    }

    private final ConnectionFactory factory;
    private final PrintStream out;

    Replayer(ConnectionFactory factory, PrintStream out, String retryQueue) {
        this(factory, out);
        this.retryQueue = retryQueue;
    }

    private String retryQueue = "email.retry";

    Replayer(ConnectionFactory factory, PrintStream out) {
        this.factory = factory;
        this.out = out;
    }

    Result replay(ReplayOptions options) throws JMSException, ReplayFailedException {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            requireQueue(connection, options.to());
            List<Candidate> candidates = new ArrayList<>();
            int skipped = browse(connection, options, candidates);
            if (options.dryRun()) {
                candidates.forEach(c -> out.println("would move " + describe(c)));
                return new Result(candidates, List.of(), skipped);
            }
            return move(connection, options, candidates, skipped);
        }
    }

    /**
     * Refuses a target queue the broker does not have: Artemis would otherwise create one of that name (or drop
     * the copies, where creating is off), and a mistyped --to would park the requests where nothing consumes them.
     */
    private static void requireQueue(Connection connection, String queue) throws JMSException {
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            boolean exists;
            try {
                exists = ((ActiveMQSession) session).getCoreSession().queueQuery(SimpleString.of(queue)).isExists();
            } catch (ActiveMQException e) {
                throw new JMSException("cannot ask the broker for queue " + queue + ": " + e.getMessage());
            }
            if (!exists) {
                throw new InvalidDestinationException("queue " + queue + " does not exist on the broker: nothing was moved");
            }
        }
    }

    /** Collects what matches now; returns how many matching messages cannot be taken by id (none in practice). */
    private int browse(Connection connection, ReplayOptions options, List<Candidate> into) throws JMSException {
        int skipped = 0;
        try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(options.from()), options.jmsSelector())) {
            for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements() && into.size() < options.limit(); ) {
                Message m = (Message) e.nextElement();
                String requestId = requestId(m);
                if (!options.wantsId(requestId)) {
                    continue;
                }
                if (m.getJMSMessageID() == null) {
                    skipped++;
                    continue;
                }
                into.add(new Candidate(m.getJMSMessageID(), requestId, reply(m)));
            }
        }
        return skipped;
    }

    private Result move(Connection connection, ReplayOptions options, List<Candidate> candidates, int skipped)
            throws JMSException, ReplayFailedException {
        List<Candidate> moved = new ArrayList<>();
        List<Candidate> gone = new ArrayList<>();
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            Queue from = session.createQueue(options.from());
            MessageProducer producer = session.createProducer(session.createQueue(options.to()));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            MessageProducer owedProducer = session.createProducer(session.createQueue(retryQueue));
            owedProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int start = 0; start < candidates.size(); start += BATCH) {
                Map<String, Candidate> pending = new LinkedHashMap<>();
                candidates.subList(start, Math.min(candidates.size(), start + BATCH))
                        .forEach(c -> pending.put(c.messageId(), c));
                try (MessageConsumer consumer = session.createConsumer(from, byMessageIds(pending.keySet()))) {
                    while (!pending.isEmpty()) {
                        Message m = consumer.receive(RECEIVE_TIMEOUT_MS);
                        if (m == null) {
                            break;
                        }
                        Candidate c = pending.remove(m.getJMSMessageID());
                        if (c == null) {
                            // the selector takes only the browsed ids; should the broker differ, touch nothing
                            rollback(session);
                            break;
                        }
                        try {
                            Message copy = copyOf(session, m, options.from());
                            (copy.propertyExists(RETRY_RECIPIENTS) ? owedProducer : producer).send(copy);
                        } catch (JMSException e) {
                            rollback(session);
                            throw failed(c, e, "it is still on " + options.from(), moved, gone, skipped);
                        }
                        try {
                            session.commit();
                        } catch (TransactionRolledBackException e) {
                            throw failed(c, e, "it is still on " + options.from(), moved, gone, skipped);
                        } catch (JMSException e) {
                            throw failed(c, e, "the commit's outcome is unknown: it is on " + options.from() + " or on "
                                    + options.to() + ", never on both or neither", moved, gone, skipped);
                        }
                        moved.add(c);
                        out.println("moved " + describe(c));
                    }
                }
                // taken by someone else (or expired) since the browse: nothing to move, nothing lost by us
                gone.addAll(pending.values());
            }
        }
        return new Result(moved, gone, skipped);
    }

    private static ReplayFailedException failed(Candidate c, JMSException e, String where, List<Candidate> moved,
                                                List<Candidate> gone, int skipped) {
        return new ReplayFailedException("could not move " + describe(c) + ": " + e.getMessage() + "; " + where,
                new Result(moved, gone, skipped), e);
    }

    private static Message copyOf(Session session, Message original, String from) throws JMSException {
        Message copy;
        if (original instanceof TextMessage text) {
            copy = session.createTextMessage(text.getText());
        } else if (original instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            BytesMessage b = session.createBytesMessage();
            b.writeBytes(body);
            copy = b;
        } else {
            throw new JMSException("not a text or bytes message: " + original.getClass().getSimpleName());
        }
        String ingress = original.getStringProperty(INGRESS);
        if (ingress != null) {
            copy.setStringProperty(INGRESS, ingress);
        }
        // the request's tenant goes with it: with a tenants file, a copy without one would be refused tenant_required
        String tenant = original.getStringProperty(TENANT);
        if (tenant != null) {
            copy.setStringProperty(TENANT, tenant);
        }
        copy.setStringProperty(REPLAYED_FROM, from);
        String owed = original.getStringProperty(OWED_RECIPIENTS);
        if (owed != null && !owed.isBlank()) {
            copy.setStringProperty(RETRY_RECIPIENTS, owed);
            copy.setStringProperty(INGRESS, ingress == null ? "jms" : ingress);
        }
        return copy;
    }

    /** The request id: the {@code MailbusRequestId} property where present, else the body's JSON {@code id}. */
    static String requestId(Message m) throws JMSException {
        String property = m.getStringProperty(REQUEST_ID);
        if (property != null && !property.isBlank()) {
            return property;
        }
        String body = null;
        if (m instanceof TextMessage text) {
            body = text.getText();
        } else if (m instanceof BytesMessage bytes) {
            byte[] b = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(b);
            bytes.reset();
            body = new String(b, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (body == null) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(body).path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String reply(Message m) throws JMSException {
        Object code = m.getObjectProperty("MailbusSmtpCode");
        String enhanced = m.getStringProperty("MailbusEnhancedCode");
        if (code == null) {
            return "";
        }
        return enhanced == null ? String.valueOf(code) : code + " " + enhanced;
    }

    private static String byMessageIds(java.util.Collection<String> ids) {
        List<String> quoted = new ArrayList<>(ids.size());
        ids.forEach(id -> quoted.add("'" + id.replace("'", "''") + "'"));
        return "JMSMessageID IN (" + String.join(", ", quoted) + ")";
    }

    private static String describe(Candidate c) {
        return (c.requestId() != null ? c.requestId() : "(no request id)")
                + (c.reply().isEmpty() ? "" : "  [" + c.reply() + "]") + "  " + c.messageId();
    }

    private static void rollback(Session session) {
        try {
            session.rollback();
        } catch (JMSException ignored) {
            // the broker rolls back an uncommitted transaction when the connection closes
        }
    }
}
