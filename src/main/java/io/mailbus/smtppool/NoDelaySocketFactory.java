package io.mailbus.smtppool;

import java.io.IOException;
import java.io.InputStream;
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
 * Plain sockets count what is read from them against the reading thread's {@link ReplyBudget}.
 */
final class NoDelaySocketFactory extends SocketFactory {

    private static final ThreadLocal<Socket> MADE = new ThreadLocal<>();

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

    /** A plain socket whose input counts against the reading thread's reply budget. */
    private static final class CountedSocket extends Socket {

        @Override
        public InputStream getInputStream() throws IOException {
            return new ReplyBudget.CountingInputStream(super.getInputStream());
        }
    }
}
