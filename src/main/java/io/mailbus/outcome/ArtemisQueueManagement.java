package io.mailbus.outcome;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * Artemis management operations on a queue, sent as JMS messages to the broker's management address: the only way to
 * reach a message that waits for its scheduled delivery, which no consumer or browser sees before it is due. Each
 * call opens its own short connection; cancellations are rare, and a pooled one would hold a consumer for nothing.
 */
public class ArtemisQueueManagement {

    private static final long REPLY_TIMEOUT_MS = 10_000;

    private final ConnectionFactory factory;
    private final String managementAddress;

    public ArtemisQueueManagement(ConnectionFactory factory, String managementAddress) {
        this.factory = factory;
        this.managementAddress = managementAddress;
    }

    /**
     * Removes the messages of {@code queue} that match {@code filter} (a JMS selector), scheduled ones included; those
     * a consumer holds right now are not removed.
     *
     * @return how many were removed; 0 when the queue does not exist (nothing was ever sent to it)
     */
    public int removeMessages(String queue, String filter) throws JMSException {
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = s.createTemporaryQueue();
            MessageConsumer consumer = s.createConsumer(replies);
            c.start();
            Message request = s.createMessage();
            JMSManagementHelper.putOperationInvocation(request, ResourceNames.QUEUE + queue, "removeMessages", filter);
            request.setJMSReplyTo(replies);
            s.createProducer(s.createQueue(managementAddress)).send(request);
            Message reply = consumer.receive(REPLY_TIMEOUT_MS);
            if (reply == null) {
                throw new JMSException("no answer from the broker's management address " + managementAddress);
            }
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                Object error = JMSManagementHelper.getResult(reply);
                if (String.valueOf(error).contains("AMQ229017") || String.valueOf(error).contains("not exist")) {
                    return 0;
                }
                throw new JMSException("removeMessages on " + queue + " failed: " + error);
            }
            Object result = JMSManagementHelper.getResult(reply, Integer.class);
            return result instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(result));
        } catch (JMSException e) {
            throw e;
        } catch (Exception e) {
            JMSException wrapped = new JMSException("management call failed: " + e);
            wrapped.setLinkedException(e);
            throw wrapped;
        }
    }
}
