package io.mailbus.smtppool;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;

/**
 * The most bytes one SMTP reply may take. Angus Mail reads a reply line by line into buffers that grow without bound
 * (a 1 MiB line without CRLF is read whole; endless {@code 250-} continuation lines are appended for as long as they
 * come), so a hostile or broken server could fill the heap. RFC 5321 4.5.3.1.5 allows 512 bytes per reply line;
 * {@value #MAX_REPLY_BYTES} bytes per reply leaves room for any real EHLO list.
 * <p>
 * The transport opens a budget on its own thread around each reply it reads ({@link #during}); the plain sockets
 * {@link NoDelaySocketFactory} makes count what is read on that thread against it. Under STARTTLS the TLS layer
 * reads through the plain socket, so the budget counts TLS records, a bound just the same; an implicit-TLS socket
 * (encryption=ssl) is the JDK's own and is bounded by the reply deadline only.
 */
final class ReplyBudget {

    static final int MAX_REPLY_BYTES = 65_536;
    private static final ThreadLocal<ReplyBudget> CURRENT = new ThreadLocal<>();

    private long left = MAX_REPLY_BYTES;

    /** Runs {@code read} (one reply) with a fresh budget on this thread. */
    static <T, E extends Exception> T during(Read<T, E> read) throws E {
        ReplyBudget outer = CURRENT.get();
        CURRENT.set(new ReplyBudget());
        try {
            return read.run();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** One reply read. */
    interface Read<T, E extends Exception> {
        T run() throws E;
    }

    private static void spend(int n) throws ReplyTooLongException {
        ReplyBudget budget = CURRENT.get();
        if (budget != null && n > 0) {
            budget.left -= n;
            if (budget.left < 0) {
                throw new ReplyTooLongException();
            }
        }
    }

    /**
     * A socket error, so that a TLS layer above passes it on as a connection fault and the failure is transient:
     * the connection is closed and the message tried again later, like any server that breaks off mid-reply.
     */
    static final class ReplyTooLongException extends SocketException {

        private static final long serialVersionUID = 1L;

        ReplyTooLongException() {
            super("SMTP reply longer than " + MAX_REPLY_BYTES + " bytes; the server is not speaking SMTP");
        }
    }

    /** A socket's input, counted against the reply budget of the reading thread, if it has one. */
    static final class CountingInputStream extends FilterInputStream {

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            spend(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            spend(n);
            return n;
        }
    }
}
