package io.mailbus.bench;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.mailbus.dev.EmbeddedArtemis;
import io.mailbus.dev.EmbeddedDatabase;
import io.mailbus.dev.FreePorts;

/**
 * The largest message: 100 MB of attachments (4 x 25 MB, the per-attachment and total limits) posted over HTTP,
 * through JMS to the sink (ingress {@code http}), or put on email.send as a bytes message Artemis streams from the
 * file (ingress {@code jms}), in a child JVM with a 512 MB heap (G1, the JVM's default) that also runs the broker and
 * the sink. The child samples the heap every 20 ms and reports the peak; the request body is streamed from a file so
 * the client holds none of it.
 */
final class BigMessage {

    record Result(boolean delivered, double seconds, double heapPeakMiB, double rssHwmMiB, String note) {
    }

    /** 4 x 25 MB by default; -Dbench.bigAttachments / -Dbench.bigAttachmentBytes look for the largest that passes. */
    static final int ATTACHMENTS = Integer.getInteger("bench.bigAttachments", 4);
    static final int ATTACHMENT_BYTES = Integer.getInteger("bench.bigAttachmentBytes", 25_000_000);

    /** @param ingress {@code http} or {@code jms} */
    static Result runChild(Path out, boolean quick, String ingress) throws Exception {
        System.out.printf(Locale.ROOT, "big message: child JVM -Xmx512m, %d x %d B attachments over %s ...%n",
                          ATTACHMENTS, ATTACHMENT_BYTES, ingress);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlog4j2.configurationFile=src/bench/log4j2-bench.xml", "-Dbench.maxBody=160000000",
                "-Dbench.bigAttachments=" + ATTACHMENTS, "-Dbench.bigAttachmentBytes=" + ATTACHMENT_BYTES,
                "-Dbench.appLog=target/bench/app-big-" + ingress + ".log"));
        String extra = System.getProperty("bench.bigJvm", "");
        if (!extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BigMessage.class.getName(), out.toString(),
                           ingress));
        Path childLog = out.resolve("big-child-" + ingress + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(childLog.toFile());
        Process p = pb.start();
        if (!p.waitFor(420, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(false, Double.NaN, Double.NaN, Double.NaN, "child timed out after 420 s");
        }
        String log = Files.readString(childLog);
        for (String line : log.split("\n")) {
            if (line.startsWith("BIGRESULT ")) {
                String[] f = line.substring(10).split(" ", 5);
                return new Result(Boolean.parseBoolean(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                                  Double.parseDouble(f[3]), f[4]);
            }
        }
        String tail = log.length() > 400 ? log.substring(log.length() - 400) : log;
        return new Result(false, Double.NaN, Double.NaN, Double.NaN,
                          (log.contains("OutOfMemoryError") ? "OutOfMemoryError; " : "no result; ")
                          + "see " + childLog + ": " + tail.replace('\n', ' ').replace('|', '/'));
    }

    /** The child: Artemis + the application + smtp-sink, one 133 MB JSON request over args[1] (http or jms). */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        boolean overJms = args.length > 1 && args[1].equals("jms");
        Path work = Files.createTempDirectory("mailbus-bench-big");
        Path json = work.resolve("big.json");
        writeJson(json);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        AtomicLong peak = new AtomicLong();
        String note;
        boolean delivered = false;
        double secs = Double.NaN;
        try (Sink sink = Sink.start();
             EmbeddedArtemis artemis = EmbeddedArtemis.start(FreePorts.next(), work.resolve("artemis"), true);
             EmbeddedDatabase db = EmbeddedDatabase.start(FreePorts.next(), null)) {
            // the application's shared state in PostgreSQL, as shipped (a separate process: not in this heap)
            E2eBench.useDatabase(db);
            E2eBench.App app = E2eBench.App.start(E2eBench.MAILBUS, new E2eBench(work).routes(E2eBench.MAILBUS),
                                                  artemis, null, sink.port());
            try {
                System.gc();
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "heap-sampler");
                sampler.setDaemon(true);
                sampler.start();
                long before = sink.messages();
                long t0 = System.nanoTime();
                String refused = overJms ? putOnQueue(artemis, json) : post(app, json);
                if (refused != null) {
                    note = refused;
                } else {
                    long got = sink.awaitMessages(before + 1, 300_000);
                    secs = (System.nanoTime() - t0) / 1e9;
                    delivered = got > before;
                    note = delivered ? String.format(Locale.ROOT, "%d B of JSON, %s then 250", Files.size(json),
                                                     overJms ? "sent to email.send" : "202")
                            : "202 but not delivered within 300 s (see app-big.log)";
                }
                sampler.interrupt();
            } finally {
                app.close();
            }
        } catch (Throwable t) {
            note = "failed: " + t;
        }
        Files.deleteIfExists(json);
        System.out.printf(Locale.ROOT, "BIGRESULT %s %.2f %.1f %.1f %s%n", delivered, secs, peak.get() / 1048576.0,
                          Stats.procStatusMiB("VmHWM"), note.replace('\n', ' ').replace('|', '/'));
        System.exit(0);
    }

    /** POST /api/v1/messages with the file as the body: null on 202, else what was answered. */
    private static String post(E2eBench.App app, Path json) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> rsp = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort + "/api/v1/messages"))
                        .timeout(Duration.ofSeconds(300)).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + E2eBench.API_KEY)
                        .POST(HttpRequest.BodyPublishers.ofFile(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        return rsp.statusCode() == 202 ? null : "HTTP " + rsp.statusCode() + ": " + rsp.body();
    }

    /** The file as a bytes message on email.send, streamed by Artemis (JMS_AMQ_InputStream, a large message). */
    private static String putOnQueue(EmbeddedArtemis artemis, Path json) throws Exception {
        try (jakarta.jms.Connection c = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                artemis.url()).createConnection();
             java.io.InputStream body = Files.newInputStream(json)) {
            jakarta.jms.Session s = c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.BytesMessage m = s.createBytesMessage();
            m.setObjectProperty("JMS_AMQ_InputStream", body);
            s.createProducer(s.createQueue("email.send")).send(m);
        }
        return null;
    }

    /** {"to":..., "attachments":[{"data":"<base64 of 25 MB>"} x4]} streamed to disk. */
    static void writeJson(Path file) throws Exception {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            os.write(("{\"id\":\"big-1\",\"from\":\"Bench <" + Shapes.FROM + ">\",\"to\":[\"" + Shapes.TO
                      + "\"],\"subject\":\"100 MB of attachments\",\"text\":\"Four attachments of 25 MB.\","
                      + "\"attachments\":[").getBytes(StandardCharsets.US_ASCII));
            Random random = new Random(7);
            byte[] chunk = new byte[3 * 65536];
            for (int a = 0; a < ATTACHMENTS; a++) {
                os.write(((a > 0 ? "," : "") + "{\"filename\":\"part" + a + ".bin\",\"contentType\":"
                          + "\"application/octet-stream\",\"data\":\"").getBytes(StandardCharsets.US_ASCII));
                OutputStream b64 = java.util.Base64.getEncoder().wrap(new java.io.FilterOutputStream(os) {
                    @Override
                    public void write(byte[] b, int off, int len) throws java.io.IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() {
                        // keep the file open
                    }
                });
                int left = ATTACHMENT_BYTES;
                while (left > 0) {
                    random.nextBytes(chunk);
                    int n = Math.min(left, chunk.length);
                    b64.write(chunk, 0, n);
                    left -= n;
                }
                b64.close();
                os.write("\"}".getBytes(StandardCharsets.US_ASCII));
            }
            os.write("]}".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
