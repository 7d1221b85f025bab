package io.mailbus.smtppool;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Plain sockets with TCP_NODELAY: SMTP writes a command or the last piece of DATA and then waits for the reply,
 * the write-write-read pattern on which Nagle's algorithm meets the peer's delayed ACK and stalls ~40 ms.
 * <p>
 * Both factories also remember, per thread, the socket they made last: Angus Mail keeps its socket private, and
 * {@link TrackingSmtpTransport} needs it to give the wait for the end-of-data reply its own timeout. Angus opens
 * (and upgrades to TLS) on the thread that calls connect, so the transport takes the socket right after connecting.
 * <p>
 * Plain sockets count what is read from them against the reading thread's {@link ReplyBudget}, and their output can
 * be held back ({@link Cork}) so that a pipelined group of commands (RFC 2920) leaves in one TCP segment, not one per
 * command: Angus flushes after every command, and under STARTTLS the TLS records pass through the same plain socket.
 */
final class NoDelaySocketFactory extends SocketFactory {

    private static final ThreadLocal<Socket> MADE = new ThreadLocal<>();
    private static final ThreadLocal<Cork> CORK = new ThreadLocal<>();

    static Socket noDelay(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        MADE.set(socket);
        return socket;
    }

    /** The socket made last on this thread, or null; it is not forgotten. */
    static Socket peekMade() {
        return MADE.get();
    }

    /** The socket made last on this thread (and forgets it), or null. */
    static Socket takeMade() {
        Socket s = MADE.get();
        MADE.remove();
        return s;
    }

    /** The cork of the plain socket made last on this thread (and forgets it), or null. */
    static Cork takeCork() {
        Cork c = CORK.get();
        CORK.remove();
        return c;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new CountedSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return createSocket(InetAddress.getByName(host), port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(InetAddress.getByName(host), port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host, port, null, 0);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket s = new CountedSocket();
        try {
            if (localAddress != null || localPort != 0) {
                s.bind(new InetSocketAddress(localAddress, localPort));
            }
            s.connect(new InetSocketAddress(address, port));
            return noDelay(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A plain socket whose input counts against the reading thread's reply budget and whose output can be corked. */
    private static final class CountedSocket extends Socket {

        private Cork cork;

        CountedSocket() {
            CORK.remove();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new ReplyBudget.CountingInputStream(super.getInputStream());
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (cork == null) {
                cork = new Cork(super.getOutputStream());
                CORK.set(cork);
            }
            return cork;
        }
    }

    /**
     * A socket's output that, while corked, keeps what is written (a few commands) instead of sending it; the held
     * bytes leave together with the first write after {@link #uncork()}, so that they are sent inside that write
     * (and its write timeout) as one segment.
     */
    static final class Cork extends FilterOutputStream {

        private byte[] held = new byte[512];
        private int count;
        private boolean corked;

        Cork(OutputStream out) {
            super(out);
        }

        synchronized void cork() {
            corked = true;
        }

        /** Ends holding back; what is held goes out with the next write or flush. */
        synchronized void uncork() {
            corked = false;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (!corked && count == 0) {
                out.write(b, off, len);
                return;
            }
            hold(b, off, len);
            if (!corked) {
                release();
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            if (!corked) {
                release();
                out.flush();
            }
        }

        /**
         * Closes the socket's stream at once, without the lock a blocked write holds: Angus's write timeout closes
         * the stream to abort exactly such a write.
         */
        @Override
        public void close() throws IOException {
            out.close();
        }

        private void hold(byte[] b, int off, int len) {
            if (count + len > held.length) {
                held = java.util.Arrays.copyOf(held, Math.max(held.length * 2, count + len));
            }
            System.arraycopy(b, off, held, count, len);
            count += len;
        }

        private void release() throws IOException {
            if (count > 0) {
                int n = count;
                count = 0;
                out.write(held, 0, n);
            }
        }
    }
}
