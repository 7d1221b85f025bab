package io.mailbus.it;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import io.mailbus.dev.FreePorts;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Large mail in a small heap: a request carrying a 25 MB attachment (about 33 MB of JSON) goes through the
 * application running in a JVM of its own with a 64 MB heap ({@code -Dmailbus.bigmail.heap} to try another), which
 * dies on the first {@link OutOfMemoryError}. Holding the request whole even once (its 33 MB of JSON as bytes or as
 * a string, or the rendered MIME as one array) does not fit beside the application; streaming it does. Before the
 * streamed path the application died at 128 MB. The SMTP server must receive
 * the attachment's exact bytes (their SHA-256), and the application must still be alive afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BigMailIT {

    static final String HEAP = System.getProperty("mailbus.bigmail.heap", "-Xmx64m");
    static final int ATTACHMENT_BYTES = 25_000_000;
    private static final String API_KEY = "big-mail-test-key-1213";

    private GreenMail smtp;
    private ChildApplication app;
    private Path log;
    /** The child's java.io.tmpdir, where its spool files live while a request is handled. */
    private Path tmp;
    private int httpPort;
    private int managementPort;

    @BeforeAll
    void startApplication() throws Exception {
        smtp = TestBrokers.greenMail();
        Map<String, String> env = new HashMap<>();
        env.put("MAILBUS_JMS_URL", TestBrokers.artemis().url());
        env.put("MAILBUS_JMS_CONCURRENT_CONSUMERS", "1");
        env.put("MAILBUS_JMS_MAX_CONCURRENT_CONSUMERS", "1");
        env.put("MAILBUS_SMTP_HOST", "127.0.0.1");
        env.put("MAILBUS_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()));
        env.put("MAILBUS_SMTP_ENCRYPTION", "none");
        env.put("MAILBUS_API_KEYS", API_KEY);
        env.put("MAILBUS_KAFKA_ENABLED", "false");
        env.put("MAILBUS_HTTP_MAX_BODY_BYTES", "40000000");
        env.put("MAILBUS_BUS_MAX_MESSAGE_BYTES", "40000000");
        httpPort = FreePorts.next();
        managementPort = FreePorts.next();
        env.put("MAILBUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        log = Files.createTempFile("mailbus-bigmail", ".log");
        tmp = Files.createTempDirectory("mailbus-bigmail-tmp");
        app = ChildApplication.start(env, log, HEAP, "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=" + tmp);
        HttpClient client = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterAll
    void stopApplication() throws Exception {
        if (app != null) {
            app.close();
        }
        if (tmp != null) {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void shouldDeliverALargeRequestPutOnTheQueueAsBytesWithinASmallHeap() throws Exception {
        deliverThrough("jms", json -> {
            try (Connection c = new ActiveMQConnectionFactory(TestBrokers.artemis().url()).createConnection();
                 InputStream body = Files.newInputStream(json)) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(s.createQueue("email.send"));
                BytesMessage m = s.createBytesMessage();
                // Artemis sends the body as a large message, read from the stream in chunks
                m.setObjectProperty("JMS_AMQ_InputStream", body);
                producer.send(m);
            }
        });
    }

    @Test
    void shouldDeliverALargeRequestPostedOverHttpWithinASmallHeap() throws Exception {
        deliverThrough("http", json -> {
            HttpResponse<String> rsp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/messages"))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + API_KEY)
                            .POST(HttpRequest.BodyPublishers.ofFile(json)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rsp.statusCode()).as(rsp.body()).isEqualTo(202);
            assertThat(rsp.body()).contains("\"status\":\"queued\"");
        });
    }

    private interface Sender {
        void send(Path json) throws Exception;
    }

    /** A large request written to a file, handed to the application by {@code sender}, and checked at the server. */
    private void deliverThrough(String ingress, Sender sender) throws Exception {
        String subject = "big " + ingress + " " + UUID.randomUUID().toString().substring(0, 8);
        Path json = Files.createTempFile("bigmail-" + ingress, ".json");
        try {
            String sha256 = writeRequest(json, subject);
            sender.send(json);
            assertDelivered(subject, sha256);
        } finally {
            Files.deleteIfExists(json);
        }
    }

    @Test
    void shouldRefuseABodyOverTheLimitBeforeReadingIt() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", httpPort)) {
            socket.setSoTimeout(30_000);
            // declares 50 MB (the limit is 40 MB here) and sends none of it: the answer cannot wait for the body
            socket.getOutputStream().write(("POST /api/v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nAuthorization: Bearer " + API_KEY + "\r\n"
                    + "Content-Length: 50000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder answer = new StringBuilder();
            InputStream in = socket.getInputStream();
            while (answer.indexOf("]}") < 0) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                answer.append((char) c);
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 413").contains("\"code\":\"request_too_large\"");
        }
        // the internal path of large bodies is not reachable on its own
        HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/_mailbus/large-message"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(404);
    }

    private void assertDelivered(String subject, String sha256) throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> !app.isAlive() || !Mailboxes.withSubject(smtp, subject).isEmpty());
        assertThat(app.isAlive()).as("the application survived the request within " + HEAP + " (see " + log + ")")
                .isTrue();
        List<MimeMessage> copies = Mailboxes.withSubject(smtp, subject);
        assertThat(copies).hasSize(1);
        MimeMessage received = copies.get(0);
        assertThat(attachmentSha256(received)).isEqualTo(sha256);
        // the request's temporary files are deleted once its exchange completes
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> spoolsLeft().isEmpty());
    }

    private List<Path> spoolsLeft() throws IOException {
        try (var files = Files.list(tmp)) {
            return files.filter(f -> f.getFileName().toString().startsWith("mailbus-spool-")).toList();
        }
    }

    /** The SHA-256 of the decoded attachment named big.bin, read as a stream. */
    private static String attachmentSha256(Part part) throws Exception {
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = attachmentSha256(multipart.getBodyPart(i));
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (!"big.bin".equals(part.getFileName())) {
            return null;
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = part.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A request with one {@value #ATTACHMENT_BYTES}-byte attachment of random bytes, written to {@code file} as it is
     * generated (the test holds none of it either).
     *
     * @return the SHA-256 of the attachment's bytes
     */
    static String writeRequest(Path file, String subject) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            os.write(("{\"from\": \"Big <big@example.com>\", \"to\": [\"big@example.org\"], \"subject\": \"" + subject
                      + "\", \"text\": \"One large attachment.\", \"attachments\": [{\"filename\": \"big.bin\", "
                      + "\"contentType\": \"application/octet-stream\", \"data\": \"")
                    .getBytes(StandardCharsets.US_ASCII));
            OutputStream base64 = Base64.getEncoder().wrap(new FilterOutputStream(os) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() {
                    // the request goes on after the data
                }
            });
            Random random = new Random(13);
            byte[] chunk = new byte[3 * 21_845];
            for (int left = ATTACHMENT_BYTES; left > 0; ) {
                random.nextBytes(chunk);
                int n = Math.min(left, chunk.length);
                digest.update(chunk, 0, n);
                base64.write(chunk, 0, n);
                left -= n;
            }
            base64.close();
            os.write("\"}]}".getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
