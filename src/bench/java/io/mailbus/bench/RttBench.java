package io.mailbus.bench;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import io.mailbus.request.SendRequest;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.ext.mail.mailencoder.MailEncoder;
import org.apache.camel.support.DefaultExchange;

/**
 * Round trips on a real network (issue 13 part 3): 2 KB mail at ONE connection through a {@link DelayProxy} that
 * holds each chunk {@code delay} ms each way, against the same sink. Peers: stock camel-mail (a connection per
 * message), one reused Angus SMTPTransport, Vert.x's mail client (one pooled connection, pipelining on), and Mailbus three ways: lock-step ({@code pipelining=false}), pipelined
 * DATA ({@code chunking=false}) and the default, pipelined with BDAT (used when the sink advertises PIPELINING and
 * CHUNKING). The Mailbus variants and vertx-mail also run on loopback without the proxy, so a loss of loopback
 * speed would show.
 */
final class RttBench {

    static final String CAMEL_MAIL = "camel-mail smtp:// (connection per message)";
    static final String ANGUS_REUSED = "Angus SMTPTransport, reused";
    static final String VERTX_MAIL = "vertx-mail (1 pooled connection, pipelining)";
    static final String MAILBUS_LOCKSTEP = "Mailbus pipelining=false";
    static final String MAILBUS_PIPELINED = "Mailbus pipelining=true chunking=false";
    static final String MAILBUS_CHUNKED = "Mailbus pipelining+chunking (default)";
    static final List<String> ANGUS_BASED = List.of(CAMEL_MAIL, ANGUS_REUSED);

    /** Runs per peer, for one network: "20 ms RTT" or "loopback", against the named sink. */
    record Cell(String network, String sink, Map<String, List<Run>> runs) {
    }

    private final ComponentBench cb;
    private final Sink sink;
    private final double seconds;
    private final int reps;

    RttBench(ComponentBench cb, Sink sink, double seconds, int reps) {
        this.cb = cb;
        this.sink = sink;
        this.seconds = seconds;
        this.reps = reps;
    }

    /**
     * The relay of the cells: by default a sink offering PIPELINING and CHUNKING, as the relays the issue names do
     * (Postfix's smtpd, Exchange Online), since smtp-sink offers no CHUNKING and Mailbus's BDAT flight would never
     * run; {@code -Dbench.rttSink=run} keeps the run's sink (a relay with PIPELINING only, when that is smtp-sink).
     */
    List<Cell> runAll(Shapes.Shape shape, long oneWayDelayMillis) throws Exception {
        boolean own = !"run".equals(System.getProperty("bench.rttSink", "chunking"));
        try (Sink relay = own ? new Sink.JavaSink("in-JVM sink offering PIPELINING and CHUNKING") : null) {
            Sink target = own ? relay : sink;
            List<Cell> cells = new ArrayList<>();
            try (DelayProxy proxy = new DelayProxy(target.port(), oneWayDelayMillis)) {
                String net = (2 * oneWayDelayMillis) + " ms RTT";
                System.out.println("round trips, " + net + ", 1 connection, " + target.kind() + " ...");
                cells.add(new Cell(net, target.kind(), cell(shape, proxy.port(), true)));
            }
            System.out.println("round trips, loopback, 1 connection ...");
            cells.add(new Cell("loopback", target.kind(), cell(shape, target.port(), false)));
            return cells;
        }
    }

    private Map<String, List<Run>> cell(Shapes.Shape shape, int port, boolean allPeers) throws Exception {
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        List<ComponentBench.JavaPeer> peers = new ArrayList<>();
        try {
            if (allPeers) {
                names.add(CAMEL_MAIL);
                peers.add(cb.camelMail(shape.mime(), port));
                names.add(ANGUS_REUSED);
                peers.add(angusReused(shape.mime(), port));
            }
            names.add(VERTX_MAIL);
            peers.add(vertxMail(port));
            names.add(MAILBUS_LOCKSTEP);
            peers.add(cb.mailbus(shape.mime(), 1, port, "&pipelining=false"));
            names.add(MAILBUS_PIPELINED);
            peers.add(cb.mailbus(shape.mime(), 1, port, "&chunking=false"));
            names.add(MAILBUS_CHUNKED);
            peers.add(cb.mailbus(shape.mime(), 1, port, ""));
            names.forEach(n -> runs.put(n, new ArrayList<>()));
            for (ComponentBench.JavaPeer p : peers) {
                cb.run(p, 1, Math.min(0.5, seconds), 100_000); // warm-up: connection open, JIT
            }
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < peers.size(); i++) {
                    runs.get(names.get(i)).add(cb.run(peers.get(i), 1, seconds, 100_000));
                }
            }
        } finally {
            peers.forEach(ComponentBench.JavaPeer::close);
        }
        return runs;
    }

    /**
     * One Angus SMTPTransport connected once and used for every message, as a hand-written client reusing its
     * connection would (one sender, so one transport); the message is the same bytes parsed once.
     */
    private ComponentBench.JavaPeer angusReused(byte[] mime, int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(port));
        p.setProperty("mail.smtp.from", Shapes.FROM);
        Session session = Session.getInstance(p);
        MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(mime));
        Address[] to = { new InternetAddress(Shapes.TO) };
        Transport transport = session.getTransport("smtp");
        transport.connect();
        return new ComponentBench.JavaPeer(exchange -> {
            synchronized (transport) {
                transport.sendMessage(message, to);
            }
        }, ctx -> new DefaultExchange(ctx), () -> {
            try {
                transport.close();
            } catch (Exception ignored) {
                // closing
            }
        });
    }

    /**
     * Vert.x's mail client as a Camel user would call it from a processor at its best: one connection kept alive
     * ({@code maxPoolSize 1}), PIPELINING used when the server offers it, each send awaited before the next (one
     * sender). It cannot send given MIME bytes, only a {@link MailMessage} it encodes itself on every send, so the
     * message is the text2k shape's request (same From, To, Subject, text); its encoding differs a little in size.
     */
    private static ComponentBench.JavaPeer vertxMail(int port) throws Exception {
        SendRequest r = Shapes.request("text2k");
        MailMessage message = new MailMessage().setFrom(r.getFrom()).setTo(r.getTo()).setBounceAddress(Shapes.FROM)
                .setSubject(r.getSubject()).setText(r.getText());
        MailConfig config = new MailConfig("127.0.0.1", port, StartTLSOptions.DISABLED, LoginOption.DISABLED)
                .setMaxPoolSize(1).setKeepAlive(true).setPipelining(true).setOwnHostname("mailbus.bench");
        System.out.println("  vertx-mail message: " + new MailEncoder(message, "mailbus.bench").encode().length()
                           + " B as vertx-mail encodes it");
        Vertx vertx = Vertx.vertx();
        MailClient client = MailClient.create(vertx, config);
        try {
            return new ComponentBench.JavaPeer(exchange -> client.sendMail(message).toCompletionStage()
                    .toCompletableFuture().get(60, TimeUnit.SECONDS), ctx -> new DefaultExchange(ctx), () -> {
                        client.close();
                        vertx.close().toCompletionStage().toCompletableFuture().join();
                    });
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    static double median(Map<String, List<Run>> runs, String peer) {
        List<Run> rs = runs.get(peer);
        if (rs == null) {
            return Double.NaN;
        }
        List<Double> xs = new ArrayList<>();
        rs.forEach(r -> xs.add(r.rate()));
        return Stats.median(xs);
    }

    static String markdown(List<Cell> cells) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n## Round trips: 2 KB text at ONE connection, through a delay proxy (issue 13 part 3)\n\n")
          .append("A TCP proxy holds each chunk 10 ms each way (20 ms RTT; no netem here); one sender thread, one "
                  + "connection (camel-mail opens one per message, as it does). msg/s, median of the runs.\n\n")
          .append("Relay: ").append(cells.get(0).sink()).append(".\n\n")
          .append("| network | peer | msg/s | runs | Mailbus default (pipelining+chunking) / this peer |\n"
                  + "|---|---|---:|---|---:|\n");
        for (Cell c : cells) {
            double mine = median(c.runs(), MAILBUS_CHUNKED);
            c.runs().forEach((peer, runs) -> {
                StringBuilder each = new StringBuilder();
                runs.forEach(r -> each.append(Report.f1(r.rate())).append(' '));
                sb.append("| ").append(c.network()).append(" | ").append(peer).append(" | ")
                  .append(Report.f1(median(c.runs(), peer))).append(" | ").append(each.toString().trim())
                  .append(" | ").append(Report.x(mine / median(c.runs(), peer))).append(" |\n");
            });
        }
        return sb.toString();
    }
}
