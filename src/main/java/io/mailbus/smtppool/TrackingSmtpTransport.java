package io.mailbus.smtppool;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, remembering which SMTP step it is in, because Angus reports connection-level faults
 * as plain {@link MessagingException}s that do not say which command was on the wire.
 */
final class TrackingSmtpTransport extends SMTPTransport {

    private volatile String step = "CONNECT";
    private volatile SmtpReply firstError;

    TrackingSmtpTransport(Session session, boolean ssl) {
        super(session, new URLName("smtp", null, -1, null, null, null), "smtp", ssl);
    }

    Session session() {
        return session;
    }

    String step() {
        return step;
    }

    /** Whether the socket is still open, without the NOOP/RSET round trip {@link #isConnected()} costs. */
    boolean isOpen() {
        return super.isConnected() && getLastReturnCode() != 421;
    }

    /**
     * The first error reply of the current connect or send. Angus answers an error with RSET, and when the server
     * has hung up (as after a 421) the failing RSET replaces the reply in the exception; this keeps what the
     * server actually said.
     */
    SmtpReply firstError() {
        return firstError;
    }

    @Override
    protected int readServerResponse() throws MessagingException {
        int code = super.readServerResponse();
        if (code >= 400 && firstError == null) {
            firstError = SmtpReply.of(step, code, getLastServerResponse());
        }
        return code;
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        firstError = null;
        super.sendMessage(message, addresses);
    }

    @Override
    protected boolean ehlo(String domain) throws MessagingException {
        step = "EHLO";
        return super.ehlo(domain);
    }

    @Override
    protected void helo(String domain) throws MessagingException {
        step = "EHLO";
        super.helo(domain);
    }

    @Override
    protected void startTLS() throws MessagingException {
        step = "STARTTLS";
        super.startTLS();
    }

    @Override
    protected void mailFrom() throws MessagingException {
        step = "MAIL FROM";
        super.mailFrom();
    }

    @Override
    protected void rcptTo() throws MessagingException {
        step = "RCPT TO";
        super.rcptTo();
    }

    @Override
    protected java.io.OutputStream data() throws MessagingException {
        step = "DATA";
        return super.data();
    }
}
