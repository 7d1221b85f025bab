package io.mailbus.smtppool;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.internet.InternetAddress;
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
 * <p>
 * <b>Pipelining</b> (RFC 2920). When the server advertises PIPELINING (and the endpoint allows it), MAIL FROM, every
 * RCPT TO and DATA leave in one flight, one TCP segment, before any reply is read: one round trip where lock-step
 * SMTP takes two plus one per recipient. Angus Mail itself still runs the transaction and reads the replies: it
 * sends each command and reads its reply as always, except that sending a command already in the flight writes
 * nothing ({@link #sendCommand}), so Angus reads the replies in order and maps each exactly as in lock-step (a
 * refused RCPT is that recipient's, all refused means no DATA is used and RSET follows). Any other command Angus
 * sends before the flight is answered (RSET after a refused MAIL FROM or after every recipient was refused) first
 * reads the replies still owed to the flight; a 354 among them is closed with an empty end of data, never a body.
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
    private final boolean pipelining;
    private NoDelaySocketFactory.Cork cork;
    /** Commands of the current flight whose replies Angus has not read yet, in order. */
    private final Deque<String> inFlight = new ArrayDeque<>();
    private RawMessage sending;
    private Address[] sendingTo;
    private volatile int flights;
    /** A reply code to hand Angus instead of reading one, for a command that was not sent; 0 when none. */
    private int replay;
    private boolean draining;

    TrackingSmtpTransport(Session session, boolean ssl, long readTimeout, long dataEndTimeout,
                          ScheduledExecutorService timer) {
        this(session, ssl, readTimeout, dataEndTimeout, timer, false);
    }

    TrackingSmtpTransport(Session session, boolean ssl, long readTimeout, long dataEndTimeout,
                          ScheduledExecutorService timer, boolean pipelining) {
        super(session, new URLName("smtp", null, -1, null, null, null), "smtp", ssl);
        this.readTimeout = (int) Math.min(Integer.MAX_VALUE, readTimeout);
        this.dataEndTimeout = (int) Math.min(Integer.MAX_VALUE, dataEndTimeout);
        this.timer = timer;
        this.pipelining = pipelining;
    }

    /** How many transactions this connection sent pipelined. */
    int pipelinedTransactions() {
        return flights;
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
            cork = NoDelaySocketFactory.takeCork();
        }
    }

    @Override
    protected int readServerResponse() throws MessagingException {
        if (replay != 0) {
            int code = replay;
            replay = 0;
            return code;
        }
        if (endingData && !awaitingDataEndReply) {
            awaitingDataEndReply = true; // Angus reads the reply right after it wrote and flushed the dot
            soTimeout(dataEndTimeout);
        }
        int code = readWholeReplyInTime(awaitingDataEndReply ? dataEndTimeout : readTimeout);
        if (code > 0) {
            awaitingDataEndReply = false;
        }
        if (code >= 400 && code < 600 && firstError == null && !draining) {
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
        sending = message instanceof RawMessage raw ? raw : null;
        sendingTo = addresses;
        try {
            super.sendMessage(message, addresses);
        } finally {
            sending = null;
            sendingTo = null;
            replay = 0;
            if (!inFlight.isEmpty()) { // replies still owed: the dialogue is out of step, so this connection ends
                inFlight.clear();
                closeQuietly();
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (MessagingException | RuntimeException ignored) {
            // the socket is closed either way
        }
    }

    /** Whether this transaction goes pipelined: allowed, advertised, and a message whose commands we can foresee. */
    private boolean pipelines() {
        return pipelining && sending != null && sendingTo != null && sending.getEnvelopeFrom() != null
               && !sending.getEnvelopeFrom().isEmpty() && supportsExtension("PIPELINING");
    }

    /**
     * Writes MAIL FROM, the RCPT TOs and DATA as one flight. The commands are the ones Angus is about to send, built
     * the same way: {@link RawMessage} sets no DSN, submitter or MAIL extension, and the session none either.
     */
    private void sendFlight() throws MessagingException {
        List<String> flight = new ArrayList<>(sendingTo.length + 2);
        String mail = "MAIL FROM:" + angleBracketed(sending.getEnvelopeFrom());
        if (Boolean.parseBoolean(session.getProperty("mail.mime.allowutf8")) && supportsExtension("SMTPUTF8")) {
            mail += " SMTPUTF8";
        }
        flight.add(mail);
        for (Address a : sendingTo) {
            flight.add("RCPT TO:" + angleBracketed(((InternetAddress) a).getAddress()));
        }
        flight.add("DATA");
        NoDelaySocketFactory.Cork c = cork;
        if (c != null) {
            c.cork();
        }
        try {
            for (int i = 0; i < flight.size(); i++) {
                if (c != null && i == flight.size() - 1) {
                    c.uncork(); // the held commands leave with the last one, in its write
                }
                super.sendCommand(flight.get(i));
            }
        } finally {
            if (c != null) {
                c.uncork();
            }
        }
        inFlight.addAll(flight);
        flights++;
    }

    /** As Angus's normalizeAddress. */
    private static String angleBracketed(String address) {
        return !address.startsWith("<") && !address.endsWith(">") ? "<" + address + ">" : address;
    }

    /**
     * A command of the current flight was sent already: its reply is the next to read. Any other command first
     * reads the replies the flight is still owed, so that its own reply is the one read after it.
     */
    @Override
    protected void sendCommand(String cmd) throws MessagingException {
        if (!inFlight.isEmpty()) {
            if (cmd.equals(inFlight.peekFirst())) {
                inFlight.removeFirst();
                return;
            }
            if (!drainFlight(cmd)) {
                replay = -1; // as if the server had gone: Angus keeps the reply it is reporting
                return;
            }
        }
        super.sendCommand(cmd);
    }

    /**
     * Reads the replies owed to commands of the flight Angus did not get to (it stopped at a refusal); false when
     * the connection had to be closed instead: a server that answers DATA with 354 although it refused MAIL FROM
     * or every recipient (RFC 2920 3.1 says it must not) is waiting for a body, and any further line would become
     * part of a message, so the connection is dropped and the server discards the unfinished message.
     */
    private boolean drainFlight(String next) throws MessagingException {
        if ("QUIT".equals(next)) {
            inFlight.clear(); // closing anyway: nothing owed needs reading
            return true;
        }
        while (!inFlight.isEmpty()) {
            String owed = inFlight.removeFirst();
            int code;
            draining = true; // replies that follow from the one Angus stopped at: not the server's first word on it
            try {
                code = readServerResponse();
            } finally {
                draining = false;
            }
            if (code == -1) {
                inFlight.clear(); // the server has gone; the command that follows finds out
                return true;
            }
            if ("DATA".equals(owed) && code == 354) {
                inFlight.clear();
                abandon();
                return false;
            }
        }
        return true;
    }

    private void abandon() {
        Socket s = socket;
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException ignored) {
            // closed either way
        }
        closeQuietly();
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
        if (pipelines()) {
            sendFlight();
        }
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
