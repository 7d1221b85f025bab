package io.mailbus.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mailbus.dev.FreePorts;

/**
 * The SMTP sink every peer sends to: Postfix's {@code smtp-sink} as a child process on a free loopback port, counted
 * through its {@code -c} counters ({@code mesg=N} is bumped on every "." it answers 250 to). When smtp-sink cannot be
 * found, an in-JVM sink of the same behaviour (250 to everything, no pipelining) stands in, and says so in
 * {@link #kind()}.
 */
abstract class Sink implements AutoCloseable {

    abstract int port();

    /** Messages whose end of DATA the sink has answered. */
    abstract long messages();

    abstract String kind();

    /** Waits until at least {@code target} messages were received or the time is up; returns the count then. */
    long awaitMessages(long target, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long n;
        while ((n = messages()) < target && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return n;
    }

    static Sink start() throws Exception {
        Path bin = Path.of(System.getProperty("bench.smtpSink", "/usr/sbin/smtp-sink"));
        if (Files.isExecutable(bin) && !Boolean.getBoolean("bench.inJvmSink")) {
            return PostfixSink.start(bin);
        }
        return new JavaSink();
    }

    /** smtp-sink -c, as a child process we kill by its own handle. */
    static final class PostfixSink extends Sink {
        private static final Pattern MESG = Pattern.compile("mesg=(\\d+)");
        private final Process process;
        private final int port;
        private final AtomicLong messages = new AtomicLong();
        private volatile boolean ready;

        private PostfixSink(Process process, int port) {
            this.process = process;
            this.port = port;
            // never outlive the benchmark JVM, even when it exits without closing the sink
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "smtp-sink-stop"));
            Thread reader = new Thread(this::read, "smtp-sink-counter");
            reader.setDaemon(true);
            reader.start();
        }

        static PostfixSink start(Path bin) throws Exception {
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = FreePorts.next();
                // -c counters, -u nobody (it drops root after binding), backlog 1024, -m 1024 connections at most
                ProcessBuilder pb = new ProcessBuilder(bin.toString(), "-c", "-u", "nobody", "-m", "1024",
                                                       "127.0.0.1:" + port, "1024");
                pb.redirectErrorStream(true);
                Process p = pb.start();
                PostfixSink sink = new PostfixSink(p, port);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline && p.isAlive()) {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        s.setSoTimeout(2000);
                        byte[] b = new byte[256];
                        int n = s.getInputStream().read(b);
                        if (n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("220")) {
                            s.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                            return sink;
                        }
                    } catch (IOException notYet) {
                        Thread.sleep(20);
                    }
                }
                sink.close();
            }
            throw new IllegalStateException("smtp-sink did not start");
        }

        private void read() {
            try (InputStream in = process.getInputStream()) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == '\r' || c == '\n') {
                        Matcher m = MESG.matcher(line);
                        if (m.find()) {
                            messages.set(Long.parseLong(m.group(1)));
                        }
                        line.setLength(0);
                    } else if (line.length() < 512) {
                        line.append((char) c);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        @Override
        int port() {
            return port;
        }

        @Override
        long messages() {
            return messages.get();
        }

        @Override
        String kind() {
            return "Postfix smtp-sink (" + process.info().command().orElse("smtp-sink") + ", child process)";
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * A minimal SMTP sink in this JVM (250 to everything): the fallback when smtp-sink is missing, and the round-trip
     * cells' relay. It advertises PIPELINING and CHUNKING, as Postfix's smtpd (3.4+) and Exchange Online do; smtp-sink
     * offers PIPELINING only. It reads commands in order, so a pipelined group is answered reply by reply. Labelled
     * in the report.
     */
    static final class JavaSink extends Sink implements Runnable {
        private final ServerSocket server;
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "java-sink");
            t.setDaemon(true);
            return t;
        });
        private final AtomicLong messages = new AtomicLong();
        private final String kind;

        JavaSink() throws IOException {
            this("in-JVM fallback sink (smtp-sink not found) - absolute numbers not comparable");
        }

        JavaSink(String kind) throws IOException {
            this.kind = kind;
            server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            pool.execute(this);
        }

        @Override
        public void run() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    pool.execute(() -> session(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void session(Socket s) {
            try (s) {
                s.setTcpNoDelay(true);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                                                             StandardCharsets.ISO_8859_1), 65536);
                OutputStream out = s.getOutputStream();
                out.write("220 java-sink ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line;
                while ((line = in.readLine()) != null) {
                    String cmd = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                    String reply;
                    switch (cmd) {
                        case "EHLO" -> reply = "250-java-sink\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n250 SIZE 0\r\n";
                        case "BDAT" -> {
                            String[] parts = line.trim().split("\\s+");
                            char[] chunk = new char[Integer.parseInt(parts[1])];
                            for (int got = 0, n; got < chunk.length; got += n) {
                                if ((n = in.read(chunk, got, chunk.length - got)) < 0) {
                                    return;
                                }
                            }
                            if (parts.length > 2 && parts[2].equalsIgnoreCase("LAST")) {
                                messages.incrementAndGet();
                            }
                            reply = "250 2.0.0 Ok: queued\r\n";
                        }
                        case "DATA" -> {
                            out.write("354 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            String d;
                            while ((d = in.readLine()) != null && !d.equals(".")) {
                                // discard
                            }
                            messages.incrementAndGet();
                            reply = "250 2.0.0 Ok: queued\r\n";
                        }
                        case "QUIT" -> {
                            out.write("221 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            return;
                        }
                        default -> reply = "250 2.0.0 Ok\r\n";
                    }
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException ignored) {
                // client went away
            }
        }

        @Override
        int port() {
            return server.getLocalPort();
        }

        @Override
        long messages() {
            return messages.get();
        }

        @Override
        String kind() {
            return kind;
        }

        @Override
        public void close() throws IOException {
            server.close();
            pool.shutdownNow();
        }
    }
}
