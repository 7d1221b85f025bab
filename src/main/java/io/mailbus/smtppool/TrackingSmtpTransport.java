package io.mailbus.smtppool;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Angus Mail's SMTP transport, remembering which SMTP step it is in, because Angus reports connection-level faults
 * as plain {@link MessagingException}s that do not say which command was on the wire. It also gives the wait for
 * the reply to the end-of-data dot its own timeout (RFC 5321 4.5.3.2: 10 minutes, while a server reads a queue
 * file, runs filters), and remembers whether the dot was written and not yet answered, when a broken connection
 * means the message may have been delivered.
 * <p>
 * Every reply must arrive whole within its timeout (readTimeout, or dataEndTimeout for the dot), counted from when
 * reading it began: the socket's SO_TIMEOUT alone bounds only the wait for each next byte, so a server trickling
 * one byte at a time would hold a sender for ever. A task on the component's timer closes the socket when a reply
 * is late (by a tenth of its timeout, at least a second, so a silent server still ends in the socket's own read
 * timeout); and a reply may not be longer than {@link ReplyBudget#MAX_REPLY_BYTES}.
 */
final class TrackingSmtpTransport extends SMTPTransport {

    private final int readTimeout;
    private final int dataEndTimeout;
    private volatile String step = "CONNECT";
    private volatile SmtpReply firstError;
    private volatile Socket socket;
    private boolean endingData;
    private volatile boolean awaitingDataEndReply;
    private volatile boolean connected;
    private final ScheduledExecutorService timer;
    private volatile int lateReplyTimeout;

    TrackingSmtpTransport(Session session, boolean ssl, long readTimeout, long dataEndTimeout,
                          ScheduledExecutorService timer) {
        super(session, new URLName("smtp", null, -1, null, null, null), "smtp", ssl);
        this.readTimeout = (int) Math.min(Integer.MAX_VALUE, readTimeout);
        this.dataEndTimeout = (int) Math.min(Integer.MAX_VALUE, dataEndTimeout);
        this.timer = timer;
    }

    /** The timeout (ms) of a reply that did not arrive whole in time, after which the socket was closed; else 0. */
    int lateReplyTimeout() {
        return lateReplyTimeout;
    }

    Session session() {
        return session;
    }

    String step() {
        return step;
    }

    /**
     * Whether the connection is still open as far as we know, without the NOOP/RSET round trip {@link #isConnected()}
     * costs: Angus marks it closed whenever it drops the socket (an I/O error, a failed RSET).
     */
    boolean isOpen() {
        return connected && getLastReturnCode() != 421;
    }

    @Override
    protected synchronized void setConnected(boolean connected) {
        super.setConnected(connected);
        this.connected = connected;
    }

    /**
     * The first error reply of the current connect or send. Angus answers an error with RSET, and when the server
     * has hung up (as after a 421) the failing RSET replaces the reply in the exception; this keeps what the
     * server actually said.
     */
    SmtpReply firstError() {
        return firstError;
    }

    /** True from writing the end-of-data dot until the server answers it; stays true if it never does. */
    boolean awaitingDataEndReply() {
        return awaitingDataEndReply;
    }

    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password)
            throws MessagingException {
        NoDelaySocketFactory.takeMade();
        try {
            return super.protocolConnect(host, port, user, password);
        } finally {
            socket = NoDelaySocketFactory.takeMade();
        }
    }

    @Override
    protected int readServerResponse() throws MessagingException {
        if (endingData && !awaitingDataEndReply) {
            awaitingDataEndReply = true; // Angus reads the reply right after it wrote and flushed the dot
            soTimeout(dataEndTimeout);
        }
        int code = readWholeReplyInTime(awaitingDataEndReply ? dataEndTimeout : readTimeout);
        if (code > 0) {
            awaitingDataEndReply = false;
        }
        if (code >= 400 && code < 600 && firstError == null) {
            firstError = SmtpReply.of(step, code, getLastServerResponse());
        }
        return code;
    }

    /**
     * Reads one reply within its byte budget, closing the socket if it has not arrived whole after timeout ms and a
     * margin (a tenth, at least a second): a server that sends nothing at all meets the socket's own read timeout
     * first, even on a busy machine, and so still ends in a SocketTimeoutException.
     */
    private int readWholeReplyInTime(int timeout) throws MessagingException {
        Socket s = socket != null ? socket : NoDelaySocketFactory.peekMade(); // the greeting comes during connect
        ScheduledFuture<?> deadline = timeout <= 0 || s == null || timer == null ? null
                : timer.schedule(() -> closeLate(s, timeout), timeout + Math.max(timeout / 10L, 1_000L),
                                 TimeUnit.MILLISECONDS);
        try {
            return ReplyBudget.during(super::readServerResponse);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    private void closeLate(Socket s, int timeout) {
        lateReplyTimeout = timeout;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted; the blocked read fails now
        }
    }

    @Override
    protected void finishData() throws IOException, MessagingException {
        endingData = true;
        try {
            super.finishData();
        } finally {
            endingData = false;
            soTimeout(readTimeout);
        }
    }

    private void soTimeout(int millis) {
        Socket s = socket;
        if (s != null && readTimeout != dataEndTimeout) {
            try {
                s.setSoTimeout(millis);
            } catch (SocketException closed) {
                // the connection is gone; the read that follows reports it
            }
        }
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        firstError = null;
        awaitingDataEndReply = false;
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
