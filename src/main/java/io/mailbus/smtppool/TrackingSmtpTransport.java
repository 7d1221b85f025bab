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
 * reads the replies still owed to the flight; a 354 among them ends the connection, never a line of body.
 * <p>
 * <b>Chunking</b> (RFC 3030). When the server also advertises CHUNKING (and the endpoint allows it) and the message is
 * in memory and at most {@value #INLINE_BODY_MAX} bytes, the flight ends with {@code BDAT <size> LAST} and the body
 * instead of DATA: the whole transaction is one round trip. Angus is handed a 354 for its DATA without anything
 * being sent, writes the message into nothing, and reads the BDAT reply as the reply to its end of data, so a
 * refusal there is classified as one at the end of DATA. The body is on the wire before the server has answered
 * MAIL FROM, so from the flight on a broken connection means the message may have been delivered; and when every
 * recipient is refused the server has been sent the body and discards it (RFC 3030 allows no other order).
 * Angus's own BDAT support ({@code mail.smtp.chunksize}) is not used: it dot-stuffs the BDAT payload and waits for a
 * reply per chunk.
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
    /** The largest message sent with BDAT in the flight; a larger one is sent with pipelined DATA. */
    static final int INLINE_BODY_MAX = 256 * 1024;
    private final boolean pipelining;
    private final boolean chunking;
    private NoDelaySocketFactory.Cork cork;
    /**
     * Commands of the current flight whose replies Angus has not read yet, in order; {@code replay} is the reply to
     * hand Angus without reading one (the 354 for a DATA that BDAT replaced), 0 when the reply is on the wire.
     */
    private record Owed(String command, int replay) {
    }

    private final Deque<Owed> inFlight = new ArrayDeque<>();
    /** From writing a flight that carries the body until the server answers its BDAT. */
    private volatile boolean bodyInFlight;
    private boolean chunked;
    private RawMessage sending;
    private Address[] sendingTo;
    /** A reply code to hand Angus instead of reading one, for a command that was not sent; 0 when none. */
    private int replay;
    private boolean draining;

    TrackingSmtpTransport(Session session, boolean ssl, long readTimeout, long dataEndTimeout,
                          ScheduledExecutorService timer) {
        this(session, ssl, readTimeout, dataEndTimeout, timer, false, false);
    }

    TrackingSmtpTransport(Session session, boolean ssl, long readTimeout, long dataEndTimeout,
                          ScheduledExecutorService timer, boolean pipelining, boolean chunking) {
        super(session, new URLName("smtp", null, -1, null, null, null), "smtp", ssl);
        this.readTimeout = (int) Math.min(Integer.MAX_VALUE, readTimeout);
        this.dataEndTimeout = (int) Math.min(Integer.MAX_VALUE, dataEndTimeout);
        this.timer = timer;
        this.pipelining = pipelining;
        this.chunking = chunking;
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
        return awaitingDataEndReply || bodyInFlight;
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
            if (awaitingDataEndReply) {
                bodyInFlight = false;
            }
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
        bodyInFlight = false;
        chunked = false;
        sending = message instanceof RawMessage raw ? raw : null;
        sendingTo = addresses;
        try {
            super.sendMessage(message, addresses);
        } finally {
            sending = null;
            sendingTo = null;
            replay = 0;
            chunked = false;
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
     * Writes MAIL FROM, the RCPT TOs and DATA (or BDAT with the body) as one flight. The commands are the ones Angus
     * is about to send, built the same way: {@link RawMessage} sets no DSN, submitter or MAIL extension, and the
     * session none either.
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
        NoDelaySocketFactory.Cork c = cork;
        byte[] body = chunking && c != null && socket != null && supportsExtension("CHUNKING")
                ? sending.bdatBody(INLINE_BODY_MAX) : null;
        if (c != null) {
            c.cork();
        }
        try {
            for (String command : flight) {
                super.sendCommand(command);
            }
            if (body == null) {
                if (c != null) {
                    c.uncork(); // the held commands leave with DATA, in its write (and its write timeout)
                }
                super.sendCommand("DATA");
            } else {
                super.sendCommand("BDAT " + body.length + " LAST");
                writeBody(body, c);
                bodyInFlight = true; // written whole: the server may take the message from here on
            }
        } finally {
            if (c != null) {
                c.uncork();
            }
        }
        flight.forEach(command -> inFlight.add(new Owed(command, 0)));
        if (body == null) {
            inFlight.add(new Owed("DATA", 0));
        } else {
            inFlight.add(new Owed("DATA", 354));
            inFlight.add(new Owed(".", 0));
            chunked = true;
        }
    }

    /**
     * Writes the BDAT payload beneath Angus (its buffers are empty between commands): into the TLS socket when
     * STARTTLS is on, else straight into the cork, which then lets the whole flight go. Angus's write timeout does
     * not cover this write, so the component's timer closes the socket if it is still blocked after it.
     */
    private void writeBody(byte[] body, NoDelaySocketFactory.Cork c) throws MessagingException {
        Socket s = socket;
        try {
            writeBeneathAngus(s, () -> {
                java.io.OutputStream out = s.getOutputStream();
                out.write(body);
                out.flush();
                c.uncork();
                c.flush();
            });
        } catch (IOException e) {
            throw new MessagingException("Can't send command to SMTP host", e);
        }
    }

    /** A write into the socket beneath Angus's streams. */
    private interface SocketWrite {
        void run() throws IOException;
    }

    /**
     * Runs {@code write} bounded by writeTimeout, as Angus bounds its own writes: Angus's write timeout does not
     * cover a write beneath it, so the component's timer closes the socket if the write still blocks after it.
     */
    private void writeBeneathAngus(Socket s, SocketWrite write) throws IOException {
        long writeTimeout = parseLong(session.getProperty("mail.smtp.writetimeout"));
        ScheduledFuture<?> deadline = writeTimeout <= 0 || timer == null ? null
                : timer.schedule(() -> closeBlocked(s), writeTimeout, TimeUnit.MILLISECONDS);
        try {
            write.run();
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    private static void closeBlocked(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted; the blocked write fails now
        }
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
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
            if (cmd.equals(inFlight.peekFirst().command())) {
                replay = inFlight.removeFirst().replay();
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
            Owed owed = inFlight.removeFirst();
            if (owed.replay() != 0) {
                continue; // never sent, so never answered
            }
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
            if (".".equals(owed.command())) {
                bodyInFlight = false; // the server has answered the BDAT that carried the body
            }
            if ("DATA".equals(owed.command()) && code == 354) {
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
        java.io.OutputStream stream = super.data();
        if (chunked) {
            return java.io.OutputStream.nullOutputStream(); // BDAT carried the body already
        }
        Socket s = socket;
        return sending != null && s != null ? new DataStream(stream, s) : stream;
    }

    /**
     * Angus's DATA stream, through which {@link RawMessage} may instead write a body whose line ends are canonical
     * already straight into the socket, dot-stuffed in one pass and written in bulk ({@link #writeCanonical}):
     * Angus's stream scans it twice, a byte at a time, and hands it on a line per write (about 85 µs of CPU for a
     * 31 KB message, more than the rest of the transaction). Angus's buffers are empty after its DATA command, and
     * nothing is written through its stream, so its end of data follows at the start of a line, as the body ends
     * with CRLF.
     */
    final class DataStream extends java.io.FilterOutputStream {
        private final Socket target;

        private DataStream(java.io.OutputStream angus, Socket target) {
            super(angus);
            this.target = target;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        /** Writes {@code body} straight to the socket when its line ends are canonical; false, unwritten, if not. */
        boolean writeCanonical(byte[] body) throws IOException {
            int dots = RawMessage.dotLines(body);
            if (dots < 0) {
                return false;
            }
            writeBeneathAngus(target, () -> {
                java.io.OutputStream socketOut = target.getOutputStream();
                RawMessage.writeDotStuffed(body, dots, socketOut);
                socketOut.flush();
            });
            return true;
        }
    }
}
