package io.mailbus.bench;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.mailbus.smtppool.SmtpPoolConstants;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * Component throughput: direct -> smtp-pool (Mailbus) and direct -> smtp:// (stock camel-mail) in this JVM, and
 * Postfix smtp-source as a child process, all against the same sink with the same message bytes.
 */
final class ComponentBench {

    static final String MAILBUS = "mailbus smtp-pool";
    static final String CAMEL_MAIL = "camel-mail smtp://";
    static final String SMTP_SOURCE = "postfix smtp-source";
    static final String STAGE = "mailbus stage (render + smtp-pool)";

    private final Sink sink;
    private final double secondsPerRun;
    private final int maxMessages;
    private final Path workDir;

    ComponentBench(Sink sink, double secondsPerRun, int maxMessages, Path workDir) {
        this.sink = sink;
        this.secondsPerRun = secondsPerRun;
        this.maxMessages = maxMessages;
        this.workDir = workDir;
    }

    /** A Camel context with one direct route to the peer's endpoint; stopped (pools closed) after the cell. */
    static final class JavaPeer implements AutoCloseable {
        final CamelContext context;
        final ProducerTemplate template;
        final Function<CamelContext, Exchange> exchanges;
        private final Runnable onClose;

        JavaPeer(String endpointUri, Function<CamelContext, Exchange> exchanges) throws Exception {
            this(exchanges, () -> { }, route -> route.to(endpointUri));
        }

        /** A peer that is no Camel component: the route's one step runs {@code send}. */
        JavaPeer(org.apache.camel.Processor send, Function<CamelContext, Exchange> exchanges, Runnable onClose)
                throws Exception {
            this(exchanges, onClose, route -> route.process(send));
        }

        private JavaPeer(Function<CamelContext, Exchange> exchanges, Runnable onClose,
                         java.util.function.Consumer<org.apache.camel.model.RouteDefinition> step) throws Exception {
            context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    step.accept(from("direct:send"));
                }
            });
            context.start();
            template = context.createProducerTemplate();
            this.exchanges = exchanges;
            this.onClose = onClose;
        }

        @Override
        public void close() {
            context.stop();
            onClose.run();
        }
    }

    JavaPeer mailbus(byte[] mime, int poolMaxTotal) throws Exception {
        return mailbus(mime, poolMaxTotal, sink.port(), "");
    }

    /** Mailbus to {@code port} (the sink, or a proxy in front of it), with further endpoint {@code options}. */
    JavaPeer mailbus(byte[] mime, int poolMaxTotal, int port, String options) throws Exception {
        String uri = "smtp-pool:127.0.0.1:" + port + "?encryption=none&poolMaxTotal=" + poolMaxTotal
                     + "&poolMaxWait=30000" + options;
        List<String> to = List.of(Shapes.TO);
        return new JavaPeer(uri, ctx -> {
            Exchange e = new DefaultExchange(ctx);
            e.getMessage().setBody(mime);
            e.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_FROM, Shapes.FROM);
            e.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_TO, to);
            return e;
        });
    }

    /**
     * The stage as users run it (issue 13 part 0): the shape's request rendered by {@code mailbusMime} for every
     * message, then delivered by smtp-pool; the other Mailbus peer sends bytes rendered once, the SMTP step alone.
     */
    JavaPeer stage(Shapes.Shape shape, int poolMaxTotal) throws Exception {
        io.mailbus.mime.MimeDataFormat mime = new io.mailbus.mime.MimeDataFormat();
        mime.setMessageIdDomain("mailbus.bench");
        String uri = "smtp-pool:127.0.0.1:" + sink.port() + "?encryption=none&poolMaxTotal=" + poolMaxTotal
                     + "&poolMaxWait=30000";
        List<String> to = List.of(Shapes.TO);
        return new JavaPeer(ctx -> {
            Exchange e = new DefaultExchange(ctx);
            e.getMessage().setBody(shape.request());
            e.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_FROM, Shapes.FROM);
            e.getMessage().setHeader(SmtpPoolConstants.ENVELOPE_TO, to);
            return e;
        }, () -> { }, route -> route.marshal(mime).to(uri));
    }

    /**
     * Stock camel-mail as a Camel user would point it at the same server. It sends a MimeMessage body as it is, so
     * the body is the same bytes parsed into one (the parse is part of its cost, as it would be in a route).
     */
    JavaPeer camelMail(byte[] mime) throws Exception {
        return camelMail(mime, sink.port());
    }

    JavaPeer camelMail(byte[] mime, int port) throws Exception {
        Session session = Session.getInstance(new Properties());
        String uri = "smtp://127.0.0.1:" + port + "?from=" + Shapes.FROM + "&to=" + Shapes.TO;
        return new JavaPeer(uri, ctx -> {
            try {
                Exchange e = new DefaultExchange(ctx);
                e.getMessage().setBody(new MimeMessage(session, new ByteArrayInputStream(mime)));
                return e;
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    /** N sender threads, each sending synchronously, until maxMessages or the time is up. */
    Run run(JavaPeer peer, int senders, double seconds, int max) throws Exception {
        AtomicLong issued = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(senders);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong firstError = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    while (issued.incrementAndGet() <= max && System.nanoTime() < deadline) {
                        Exchange out = peer.template.send("direct:send", peer.exchanges.apply(peer.context));
                        if (out.getException() == null) {
                            ok.incrementAndGet();
                        } else {
                            if (errors.incrementAndGet() == 1 && firstError.compareAndSet(0, 1)) {
                                System.err.println("  send failed: " + out.getException());
                            }
                            if (errors.get() > 50) {
                                return;
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "bench-sender-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Stats.resetHeapPeak();
        long cpu0 = Stats.processCpuNanos();
        long t0 = System.nanoTime();
        start.countDown();
        if (!done.await((long) (seconds * 1000) + 60_000, TimeUnit.MILLISECONDS)) {
            System.err.println("  senders did not finish in time; counting what was done");
        }
        long t1 = System.nanoTime();
        long cpu1 = Stats.processCpuNanos();
        return new Run(ok.get(), (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, errors.get(), Stats.heapPeakMiB(),
                       Stats.procStatusMiB("VmHWM"));
    }

    /**
     * Postfix smtp-source with the same bytes (-F, one message file), the same number of parallel sessions (-s) and
     * connection reuse (-d). Its CPU is the child's user+sys time as reported by the shell's {@code times}.
     */
    Run smtpSource(Path messageFile, int sessions, int messages, double timeoutSeconds) throws Exception {
        String bin = System.getProperty("bench.smtpSource", "/usr/sbin/smtp-source");
        String cmd = bin + " -d -s " + sessions + " -m " + messages + " -F " + messageFile + " -f " + Shapes.FROM
                     + " -t " + Shapes.TO + " 127.0.0.1:" + sink.port() + " ; rc=$? ; times ; exit $rc";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd);
        pb.redirectErrorStream(true);
        long sinkBefore = sink.messages();
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean finished = p.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        long t1 = System.nanoTime();
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        double cpu = childCpu(out);
        long sent = finished && p.exitValue() == 0 ? messages : sink.messages() - sinkBefore;
        if (!finished || p.exitValue() != 0) {
            System.err.println("  smtp-source " + (finished ? "exit " + p.exitValue() : "timed out") + ": "
                               + out.strip());
        }
        return new Run(sent, (t1 - t0) / 1e9, cpu, finished && p.exitValue() == 0 ? 0 : 1, Double.NaN, Double.NaN);
    }

    /** The second line of bash's {@code times}: user and system time of its waited-for children. */
    static double childCpu(String out) {
        String[] lines = out.strip().split("\n");
        if (lines.length < 1) {
            return Double.NaN;
        }
        String[] parts = lines[lines.length - 1].trim().split("\\s+");
        double sum = 0;
        for (String p : parts) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)m([0-9.]+)s").matcher(p);
            if (m.matches()) {
                sum += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** The message file for smtp-source -F: the same bytes with LF line ends (it appends CRLF to each line). */
    Path messageFile(Shapes.Shape shape) throws Exception {
        Path f = workDir.resolve(shape.name() + ".eml");
        String s = new String(shape.mime(), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        Files.writeString(f, s, StandardCharsets.ISO_8859_1);
        return f;
    }

    /** One cell: warm-up, then {@code reps} interleaved runs of every peer. */
    Map<String, List<Run>> cell(Shapes.Shape shape, int senders, int reps) throws Exception {
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        runs.put(MAILBUS, new ArrayList<>());
        runs.put(CAMEL_MAIL, new ArrayList<>());
        runs.put(SMTP_SOURCE, new ArrayList<>());
        runs.put(STAGE, new ArrayList<>());
        Path file = messageFile(shape);
        try (JavaPeer mb = mailbus(shape.mime(), Math.max(senders, 1));
             JavaPeer cm = camelMail(shape.mime());
             JavaPeer st = stage(shape, Math.max(senders, 1))) {
            // warm-up: JIT, pool filled, smtp-source's rate for sizing its bounded run
            run(mb, senders, Math.min(1.0, secondsPerRun), maxMessages);
            run(st, senders, Math.min(1.0, secondsPerRun), maxMessages);
            run(cm, senders, Math.min(1.0, secondsPerRun), maxMessages);
            Run warm = smtpSource(file, senders, 500 * senders, 30);
            double srcRate = Math.max(100, warm.rate());
            int srcMessages = (int) Math.max(200, Math.min(maxMessages, srcRate * secondsPerRun));
            for (int r = 0; r < reps; r++) {
                runs.get(MAILBUS).add(run(mb, senders, secondsPerRun, maxMessages));
                runs.get(STAGE).add(run(st, senders, secondsPerRun, maxMessages));
                runs.get(CAMEL_MAIL).add(run(cm, senders, secondsPerRun, maxMessages));
                runs.get(SMTP_SOURCE).add(smtpSource(file, senders, srcMessages, secondsPerRun * 10 + 10));
            }
        }
        return runs;
    }

    /** Mailbus alone: 16 senders over pools of different sizes. */
    Map<Integer, List<Run>> poolSweep(Shapes.Shape shape, int senders, int[] poolSizes, int reps) throws Exception {
        Map<Integer, List<Run>> out = new LinkedHashMap<>();
        for (int size : poolSizes) {
            List<Run> runs = new ArrayList<>();
            try (JavaPeer mb = mailbus(shape.mime(), size)) {
                run(mb, senders, Math.min(0.5, secondsPerRun), maxMessages);
                for (int r = 0; r < reps; r++) {
                    runs.add(run(mb, senders, secondsPerRun, maxMessages));
                }
            }
            out.put(size, runs);
        }
        return out;
    }
}
