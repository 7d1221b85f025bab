package io.mailbus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that holds every chunk it reads for a fixed delay in each direction before passing it on,
 * in order: a relay {@code 2 × delay} away, since this kernel has no netem. Bandwidth is not limited; only the
 * latency of each crossing is. Four threads per connection (a reader and a writer each way).
 */
final class DelayProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long delayNanos;

    DelayProxy(int targetPort, long delayMillis) throws IOException {
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        daemon(this::accept, "delay-proxy-accept");
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                pipe(client, target, "up");
                pipe(target, client, "down");
            } catch (IOException e) {
                return;
            }
        }
    }

    private record Chunk(long due, byte[] bytes) {
    }

    private static final Chunk END = new Chunk(0, null);

    /** Reads {@code from} and writes to {@code to} each chunk {@code delay} after it was read. */
    private void pipe(Socket from, Socket to, String name) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
                }
            } catch (IOException ignored) {
                // closed
            }
            queue.add(END);
        }, "delay-proxy-read-" + name);
        daemon(() -> {
            try (OutputStream out = to.getOutputStream()) {
                for (Chunk c = queue.take(); c != END; c = queue.take()) {
                    long wait;
                    while ((wait = c.due() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    out.write(c.bytes());
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException ignored) {
                // closed
            } finally {
                closeQuietly(to);
                closeQuietly(from);
            }
        }, "delay-proxy-write-" + name);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
