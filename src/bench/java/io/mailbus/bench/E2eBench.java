package io.mailbus.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.mailbus.MailbusMain;
import io.mailbus.dev.EmbeddedArtemis;
import io.mailbus.dev.EmbeddedDatabase;
import io.mailbus.dev.EmbeddedKafka;
import io.mailbus.dev.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End to end: the real application (config/application.properties, routes/*.yaml, MailbusConfiguration) in this JVM
 * on an embedded persistent Artemis and a KRaft Kafka, delivering to the sink; then the same application with the
 * deliver route's smtp-pool step replaced by stock camel-mail. Completion is counted at the sink (its 250 to DATA);
 * request-to-250 latency: from the POST to the request's "delivered" status event on email.events (published in the
 * delivery's transaction right after the 250).
 */
final class E2eBench {

    static final String MAILBUS = "mailbus";
    static final String CAMEL_MAIL = "camel-mail";
    static final String API_KEY = "bench-key-0123456789";

    /**
     * One measured e2e run.
     *
     * @param delivered messages the sink received during the run
     * @param seconds   from the first request (HTTP) or the first delivery (JMS, Kafka: pre-loaded) to the last delivery
     */
    record E2eRun(long delivered, long expected, double seconds, double cpuSeconds, double p50Accept, double p95Accept,
                  double p99Accept, double p50Deliver, double p95Deliver, double p99Deliver, double heapPeakMiB,
                  double rssHwmMiB) {
        double rate() {
            return seconds <= 0 ? 0 : delivered / seconds;
        }
    }

    record Result(String variant, String ingress, String shape, List<E2eRun> runs) {
        double median(java.util.function.ToDoubleFunction<E2eRun> f) {
            List<Double> xs = new ArrayList<>();
            runs.forEach(r -> xs.add(f.applyAsDouble(r)));
            return Stats.median(xs);
        }
    }

    private final Sink sink;
    private final int reps;
    private final int n;
    private final int httpClients;
    private final Path work;

    /** For the big-message child: only the routes copy is wanted. */
    E2eBench(Path work) {
        this.sink = null;
        this.reps = 0;
        this.n = 0;
        this.httpClients = 0;
        this.work = work;
    }

    E2eBench(Sink sink, boolean quick, int reps, Path out) throws Exception {
        this.sink = sink;
        this.reps = reps;
        // quick mode too: 600 messages a cell measured mostly the JIT's warm-up (±40 % run to run), 2,000 still some
        this.n = Integer.getInteger("bench.e2eMessages", 6000);
        this.httpClients = Integer.getInteger("bench.httpClients", 16);
        this.work = Files.createTempDirectory("mailbus-bench-e2e");
    }

    private static EmbeddedDatabase database;
    /** Request id to the nanoTime its "delivered" status event reached a subscriber of email.events. */
    private static final Map<String, Long> DELIVERED_AT = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * request→250 as a user sees it: the "delivered" event, published in the delivery's own transaction right
     * after the server's 250, read by a plain subscriber of the events topic.
     */
    private static Connection subscribeToDeliveredEvents(EmbeddedArtemis artemis) throws Exception {
        Connection c = new ActiveMQConnectionFactory(artemis.url()).createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createTopic("email.events")).setMessageListener(m -> {
            try {
                JsonNode e = JSON.readTree(m.getBody(String.class));
                if ("delivered".equals(e.path("event").asText())) {
                    DELIVERED_AT.put(e.path("id").asText(), System.nanoTime());
                }
            } catch (Exception ignored) {
                // not an event this bench sent
            }
        });
        c.start();
        return c;
    }

    /** The PostgreSQL the applications started by {@link App#start} keep their shared state in. */
    static void useDatabase(EmbeddedDatabase db) {
        database = db;
    }

    List<Result> runAll() throws Exception {
        List<Result> results = new ArrayList<>();
        System.out.println("e2e: starting embedded Artemis (persistent) and KRaft Kafka ...");
        try (EmbeddedArtemis artemis = EmbeddedArtemis.start(FreePorts.next(), work.resolve("artemis"), true);
             EmbeddedKafka kafka = EmbeddedKafka.start(FreePorts.next(), work.resolve("kafka"));
             EmbeddedDatabase db = EmbeddedDatabase.start(FreePorts.next(), null);
             Connection events = subscribeToDeliveredEvents(artemis)) {
            // as a deployment would: as many partitions as the shipped mailbus.kafka.consumers
            kafka.createTopics(Integer.getInteger("bench.kafkaPartitions", 8), queue(MAILBUS), queue(CAMEL_MAIL));
            // the shared state of each application (delivered ids, Idempotency-Keys) in PostgreSQL, as shipped
            useDatabase(db);
            // both applications run side by side (the camel-mail one on its own queue and topic), so the runs can be
            // interleaved: JIT warm-up and machine noise fall on both alike
            App mb = App.start(MAILBUS, routes(MAILBUS), artemis, kafka, sink.port());
            App cm = App.start(CAMEL_MAIL, routes(CAMEL_MAIL), artemis, kafka, sink.port());
            try {
                // the attachment shape runs a fifth of the messages: stock camel-mail delivers it at ~22/s a thread
                // -Dbench.e2eShapes / -Dbench.e2eIngresses narrow a run while profiling one path
                for (String shape : List.of(System.getProperty("bench.e2eShapes", "text2k,att20k").split(","))) {
                    int count = shape.equals("text2k") ? n : Math.max(60, n / 5);
                    for (String ingress : List.of(System.getProperty("bench.e2eIngresses", "http,jms,kafka").split(","))) {
                        System.out.printf(Locale.ROOT, "e2e %-5s %s: warm-up ...%n", ingress, shape);
                        for (App app : List.of(mb, cm)) {
                            // as many as a measured run: a shorter warm-up left the JIT compiling through the runs
                            // (its threads were the largest CPU user of a quick run's profile)
                            run(app, ingress, shape, count, artemis, kafka);
                        }
                        List<E2eRun> a = new ArrayList<>(), b = new ArrayList<>();
                        for (int i = 0; i < reps; i++) {
                            a.add(print(MAILBUS, run(mb, ingress, shape, count, artemis, kafka)));
                            b.add(print(CAMEL_MAIL, run(cm, ingress, shape, count, artemis, kafka)));
                        }
                        results.add(new Result(MAILBUS, ingress, shape, a));
                        results.add(new Result(CAMEL_MAIL, ingress, shape, b));
                    }
                }
            } finally {
                mb.close();
                cm.close();
            }
        }
        return results;
    }

    private E2eRun run(App app, String ingress, String shape, int count, EmbeddedArtemis artemis, EmbeddedKafka kafka)
            throws Exception {
        return switch (ingress) {
            case "http" -> http(app, shape, count);
            case "jms" -> jms(app, artemis, shape, count);
            case "kafka" -> kafka(app, kafka, shape, count);
            default -> throw new IllegalArgumentException(ingress);
        };
    }

    private static E2eRun print(String variant, E2eRun r) {
        System.out.printf(Locale.ROOT, "  %-10s %d/%d delivered, %.0f msg/s%s%n", variant, r.delivered(), r.expected(),
                          r.rate(), Double.isNaN(r.p50Accept()) ? "" : String.format(Locale.ROOT,
                                  ", 202 p50/p99 %.1f/%.1f ms, to-250 p50/p99 %.1f/%.1f ms", r.p50Accept(),
                                  r.p99Accept(), r.p50Deliver(), r.p99Deliver()));
        return r;
    }

    /** A copy of routes/*.yaml; for camel-mail the deliver route's smtp-pool step becomes smtp:// (stock). */
    Path routes(String variant) throws Exception {
        Path dir = Files.createDirectories(work.resolve("routes-" + variant));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String yaml = Files.readString(f);
                if (variant.equals(CAMEL_MAIL) && f.getFileName().toString().equals("deliver.yaml")) {
                    yaml = swapToCamelMail(yaml);
                }
                if (variant.equals(CAMEL_MAIL) && f.getFileName().toString().equals("ingress-jms.yaml")) {
                    yaml = yaml.replace("\"jms:queue:{{mailbus.jms.send-queue}}\"", "\"jms:queue:" + queue(variant) + "\"");
                }
                Files.writeString(dir.resolve(f.getFileName()), yaml);
            }
        }
        return dir;
    }

    /**
     * Replaces the {@code - toD: uri: "${exchangeProperty.mailbusServerEndpoint}"} step with the MIME bytes parsed back into
     * a MimeMessage (the data format's unmarshal) sent by stock camel-mail, which sends a MimeMessage body as it is.
     */
    static String swapToCamelMail(String yaml) {
        List<String> lines = new ArrayList<>(List.of(yaml.split("\n", -1)));
        int start = -1;
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).trim().equals("- toD:") && lines.get(i + 1).contains("mailbusServerEndpoint")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            throw new IllegalStateException("deliver.yaml: no 'toD: ${exchangeProperty.mailbusServerEndpoint}' step to swap");
        }
        String indent = lines.get(start).substring(0, lines.get(start).indexOf('-'));
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isBlank() || lines.get(end).startsWith(indent + " "))) {
            end++;
        }
        List<String> repl = List.of(
                indent + "# benchmark peer: stock camel-mail instead of smtp-pool (same MIME bytes, as a MimeMessage)",
                indent + "- unmarshal:",
                indent + "    custom:",
                indent + "      ref: mailbusMime",
                indent + "- to:",
                indent + "    uri: \"smtp://{{mailbus.smtp.host}}:{{mailbus.smtp.port}}\"",
                indent + "# camel-mail reports no per-recipient result: a send that did not throw delivered the envelope",
                indent + "- bean:",
                indent + "    beanType: " + CamelMailResult.class.getName(),
                indent + "    method: record");
        for (int i = end - 1; i >= start; i--) {
            lines.remove(i);
        }
        lines.addAll(start, repl);
        return String.join("\n", lines);
    }

    /** The JMS queue and Kafka topic of a variant: the production names for Mailbus, its own for camel-mail. */
    static String queue(String variant) {
        return variant.equals(MAILBUS) ? "email.send" : "email.send.camelmail";
    }

    /** The running application and the per-request timestamps of its SMTP step. */
    static final class App implements AutoCloseable {
        final Main main;
        final Thread thread;
        final int httpPort;
        final String queue;
        /** When each request's delivered event arrived on email.events (both applications publish there). */
        final Map<String, Long> delivered = DELIVERED_AT;
        volatile CamelContext context;

        private App(Main main, int httpPort, String queue) {
            this.main = main;
            this.queue = queue;
            this.httpPort = httpPort;
            this.thread = new Thread(() -> {
                try {
                    main.run();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "mailbus-app");
        }

        static App start(String variant, Path routes, EmbeddedArtemis artemis, EmbeddedKafka kafka, int smtpPort)
                throws Exception {
            Main main = MailbusMain.newMain();
            int httpPort = FreePorts.next();
            App app = new App(main, httpPort, queue(variant));
            main.addOverrideProperty("mailbus.endpoint.send", "jms:queue:" + queue(variant));
            main.addOverrideProperty("mailbus.db.url", database.newDatabase("bench_" + variant.replace('-', '_')));
            main.addOverrideProperty("mailbus.kafka.topic", queue(variant));
            String pattern = "file:" + routes.toAbsolutePath() + "/*.yaml";
            main.addOverrideProperty("mailbus.routes.include-pattern", pattern);
            main.addOverrideProperty("camel.main.routes-include-pattern", pattern);
            // the test classpath holds the dev runner's RouteBuilder (DevSmtpSink); production's jar has none to scan
            main.addOverrideProperty("camel.main.base-package-scan-enabled", "false");
            main.addOverrideProperty("mailbus.http.port", String.valueOf(httpPort));
            main.addOverrideProperty("camel.management.port", String.valueOf(FreePorts.next()));
            main.addOverrideProperty("mailbus.api.keys", API_KEY);
            main.addOverrideProperty("mailbus.jms.url", artemis.url());
            if (kafka != null) {
                main.addOverrideProperty("mailbus.kafka.brokers", kafka.bootstrapServers());
            } else {
                main.addOverrideProperty("mailbus.kafka.enabled", "false");
                main.addOverrideProperty("mailbus.kafka.brokers", "127.0.0.1:1");
            }
            main.addOverrideProperty("mailbus.kafka.group-id", "mailbus-bench-" + variant);
            main.addOverrideProperty("mailbus.smtp.host", "127.0.0.1");
            main.addOverrideProperty("mailbus.smtp.port", String.valueOf(smtpPort));
            main.addOverrideProperty("mailbus.smtp.encryption", "none");
            main.addOverrideProperty("mailbus.http.max-body-bytes", System.getProperty("bench.maxBody", "10485760"));
            // -Dbench.camelTimers=false measures the application without Camel's per-exchange route timers
            String timers = System.getProperty("bench.camelTimers", "true");
            main.addOverrideProperty("camel.metrics.enable-route-policy", timers);
            CountDownLatch started = new CountDownLatch(1);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport m) {
                    app.context = m.getCamelContext();
                }

                @Override
                public void afterStart(BaseMainSupport m) {
                    started.countDown();
                }
            });
            app.thread.start();
            if (!started.await(90, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the application did not start in 90 s");
            }
            return app;
        }

        @Override
        public void close() throws InterruptedException {
            main.completed();
            thread.join(60_000);
        }
    }

    // ---- HTTP: concurrent clients, each request waits for its 202 -------------------------------------------------

    private E2eRun http(App app, String shape, int count) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + app.httpPort + "/api/v1/messages");
        String prefix = "h" + Long.toHexString(System.nanoTime());
        String[] bodies = new String[count];
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = prefix + "-" + i;
            bodies[i] = Shapes.json(shape, ids[i]);
        }
        long[] accept = new long[count];
        long[] sentAt = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        long sinkBefore = sink.messages();
        Stats.resetHeapPeak();
        long cpu0 = Stats.processCpuNanos();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < httpClients; c++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(bodies[i])).build();
                    long s = System.nanoTime();
                    sentAt[i] = s;
                    try {
                        HttpResponse<String> rsp = client.send(req, HttpResponse.BodyHandlers.ofString());
                        accept[i] = System.nanoTime() - s;
                        if (rsp.statusCode() == 202) {
                            ok.incrementAndGet();
                        } else if (bad.incrementAndGet() <= 3) {
                            System.err.println("  HTTP " + rsp.statusCode() + ": " + rsp.body());
                        }
                    } catch (Exception e) {
                        if (bad.incrementAndGet() <= 3) {
                            System.err.println("  HTTP failed: " + e);
                        }
                    }
                }
            }, "bench-http-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(180_000);
        }
        long target = sinkBefore + ok.get();
        long got = sink.awaitMessages(target, 120_000);
        long t1 = System.nanoTime();
        long cpu1 = Stats.processCpuNanos();
        List<Long> acc = new ArrayList<>();
        List<Long> del = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (accept[i] > 0) {
                acc.add(accept[i]);
            }
            Long d = app.delivered.remove(ids[i]);
            if (d != null && sentAt[i] > 0) {
                del.add(d - sentAt[i]);
            }
        }
        long[] a = acc.stream().mapToLong(Long::longValue).toArray();
        long[] d = del.stream().mapToLong(Long::longValue).toArray();
        return new E2eRun(got - sinkBefore, count, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, Stats.percentileMillis(a, 50),
                          Stats.percentileMillis(a, 95), Stats.percentileMillis(a, 99), Stats.percentileMillis(d, 50),
                          Stats.percentileMillis(d, 95), Stats.percentileMillis(d, 99), Stats.heapPeakMiB(),
                          Stats.procStatusMiB("VmHWM"));
    }

    // ---- JMS and Kafka: N requests pre-loaded with the ingress route stopped, then drained ----------------------

    private E2eRun jms(App app, EmbeddedArtemis artemis, String shape, int count) throws Exception {
        app.context.getRouteController().stopRoute("ingress-jms");
        String prefix = "j" + Long.toHexString(System.nanoTime());
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(artemis.url());
             Connection c = cf.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(app.queue));
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(Shapes.json(shape, prefix + "-" + i)));
                if (i % 200 == 199) {
                    s.commit();
                }
            }
            s.commit();
        }
        return drain(app, "ingress-jms", count);
    }

    private E2eRun kafka(App app, EmbeddedKafka kafka, String shape, int count) throws Exception {
        app.context.getRouteController().stopRoute("ingress-kafka");
        String prefix = "k" + Long.toHexString(System.nanoTime());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(app.queue, Shapes.json(shape, prefix + "-" + i)));
            }
            producer.flush();
        }
        return drain(app, "ingress-kafka", count);
    }

    /** Starts the ingress route and times from its first delivery to its last (so consumer start-up is not counted). */
    private E2eRun drain(App app, String routeId, int count) throws Exception {
        long sinkBefore = sink.messages();
        app.delivered.clear();
        Stats.resetHeapPeak();
        long cpu0 = Stats.processCpuNanos();
        app.context.getRouteController().startRoute(routeId);
        sink.awaitMessages(sinkBefore + 1, 60_000);
        long t0 = System.nanoTime();
        long first = sink.messages();
        long got = sink.awaitMessages(sinkBefore + count, 180_000);
        long t1 = System.nanoTime();
        long cpu1 = Stats.processCpuNanos();
        app.delivered.clear();
        // rate over (first, last]: the first delivery marks the start of the clock
        double secs = (t1 - t0) / 1e9 * (got - sinkBefore) / Math.max(1, got - first);
        return new E2eRun(got - sinkBefore, count, secs, (cpu1 - cpu0) / 1e9, Double.NaN, Double.NaN,
                          Double.NaN, Double.NaN, Double.NaN, Double.NaN, Stats.heapPeakMiB(),
                          Stats.procStatusMiB("VmHWM"));
    }

    static double medianRate(List<Result> rs, String variant, String ingress, String shape) {
        Result r = find(rs, variant, ingress, shape);
        return r == null ? Double.NaN : r.median(E2eRun::rate);
    }

    static String markdown(List<Result> rs) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n## End to end (ingress → validate → MIME → SMTP → sink's 250)\n\n")
          .append("The whole application in one JVM with embedded persistent Artemis and KRaft Kafka; production "
                  + "settings (JMS 4-8 consumers, Kafka 8 consumers on 8 partitions, pool 10). HTTP: 16 client "
                  + "connections, each request waits for its 202; request→250 ends at its \"delivered\" event. "
                  + "JMS/Kafka: N pre-loaded, timed from first to last delivery. Counted at the sink. "
                  + "camel-mail = the same routes with the smtp-pool step swapped for smtp:// (stock camel-mail).\n\n")
          .append("| shape | ingress | Mailbus msg/s | camel-mail msg/s | ratio | Mailbus 202 p50/p95/p99 ms | "
                  + "Mailbus request→250 p50/p95/p99 ms | camel-mail request→250 p50/p95/p99 ms | CPU s/1k Mailbus | "
                  + "CPU s/1k camel-mail | heap peak MiB | RSS peak MiB |\n|---|---|---:|---:|---:|---|---|---|---:|---:|---:|---:|\n");
        for (String shape : List.of("text2k", "att20k")) {
            for (String ingress : List.of("http", "jms", "kafka")) {
                Result m = find(rs, MAILBUS, ingress, shape);
                Result c = find(rs, CAMEL_MAIL, ingress, shape);
                if (m == null || c == null) {
                    continue;
                }
                double mr = m.median(E2eRun::rate), cr = c.median(E2eRun::rate);
                sb.append("| ").append(Shapes.label(shape)).append(" | ").append(ingress.toUpperCase(Locale.ROOT)).append(" | ").append(Report.f0(mr)).append(" | ")
                  .append(Report.f0(cr)).append(" | ").append(Report.x(mr / cr)).append(" | ")
                  .append(pct(m, E2eRun::p50Accept, E2eRun::p95Accept, E2eRun::p99Accept)).append(" | ")
                  .append(pct(m, E2eRun::p50Deliver, E2eRun::p95Deliver, E2eRun::p99Deliver)).append(" | ")
                  .append(pct(c, E2eRun::p50Deliver, E2eRun::p95Deliver, E2eRun::p99Deliver)).append(" | ")
                  .append(Report.f2(m.median(r -> r.cpuSeconds() / Math.max(1, r.delivered()) * 1000))).append(" | ")
                  .append(Report.f2(c.median(r -> r.cpuSeconds() / Math.max(1, r.delivered()) * 1000))).append(" | ")
                  .append(Report.f0(m.median(E2eRun::heapPeakMiB))).append(" | ")
                  .append(Report.f0(m.median(E2eRun::rssHwmMiB))).append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String pct(Result r, java.util.function.ToDoubleFunction<E2eRun> a,
                              java.util.function.ToDoubleFunction<E2eRun> b, java.util.function.ToDoubleFunction<E2eRun> c) {
        if (Double.isNaN(r.median(a))) {
            return "-";
        }
        return Report.f1(r.median(a)) + " / " + Report.f1(r.median(b)) + " / " + Report.f1(r.median(c));
    }

    private static Result find(List<Result> rs, String variant, String ingress, String shape) {
        return rs.stream().filter(r -> r.variant().equals(variant) && r.ingress().equals(ingress)
                                       && r.shape().equals(shape)).findFirst().orElse(null);
    }
}
