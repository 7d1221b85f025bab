package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.mailbus.dev.FreePorts;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Secrets from files, the Docker/Kubernetes way, in the packaged application configured only by its environment:
 * {@code MAILBUS_SMTP_PASSWORD_FILE} gives the SMTP password the scripted server sees in AUTH PLAIN, and
 * {@code MAILBUS_API_KEYS_FILE} the API key the HTTP edge takes; neither value is in the application's log.
 */
class SecretFilesIT {

    @Test
    void shouldTakeTheSmtpPasswordAndTheApiKeyFromFilesAndNeverLogThem() throws Exception {
        String password = "file-secret-" + UUID.randomUUID();
        String apiKey = "file-key-" + UUID.randomUUID();
        Path folder = Files.createTempDirectory("secret-files-it");
        Path passwordFile = folder.resolve("smtp-password");
        Path keyFile = folder.resolve("api-keys");
        // as `echo secret > file` writes them: the one trailing newline is not part of the value
        Files.writeString(passwordFile, password + "\n");
        Files.writeString(keyFile, apiKey + "\n");
        Path log = folder.resolve("app.log");
        int httpPort = FreePorts.next();

        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
            smtp.ehlo("250-stub.test\r\n250 AUTH PLAIN").on("AUTH", "235 2.7.0 Accepted");
            Map<String, String> env = new HashMap<>();
            env.put("MAILBUS_JMS_URL", TestBrokers.artemis().url());
            env.put("MAILBUS_KAFKA_ENABLED", "false");
            env.put("MAILBUS_SMTP_HOST", "127.0.0.1");
            env.put("MAILBUS_SMTP_PORT", String.valueOf(smtp.port()));
            env.put("MAILBUS_SMTP_ENCRYPTION", "none");
            env.put("MAILBUS_SMTP_ALLOW_PLAINTEXT_AUTH", "true");
            env.put("MAILBUS_SMTP_USERNAME", "mailer");
            env.put("MAILBUS_SMTP_PASSWORD_FILE", passwordFile.toString());
            env.put("MAILBUS_API_KEYS_FILE", keyFile.toString());
            env.put("MAILBUS_HTTP_PORT", String.valueOf(httpPort));
            env.put("MAILBUS_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
            String subject = "secret files " + UUID.randomUUID();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/messages"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + apiKey)
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"from": "a@example.com", "to": ["b@example.com"], "subject": "%s", "text": "x"}
                            """.formatted(subject))).build();

            try (ChildApplication app = ChildApplication.start(env, log)) {
                AtomicReference<Integer> status = new AtomicReference<>();
                // 503 (or no answer) until the flows run
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
                    try {
                        status.set(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
                    } catch (java.io.IOException notYet) {
                        status.set(null);
                    }
                    return status.get() != null && status.get() != 503;
                });
                assertThat(status.get()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> smtp.messages().stream()
                        .anyMatch(m -> new String(m, StandardCharsets.UTF_8).contains(subject)));
            }

            List<String> auth = smtp.commands().stream().filter(c -> c.startsWith("AUTH PLAIN")).toList();
            assertThat(auth).isNotEmpty();
            String[] parts = auth.get(0).split(" ");
            assertThat(new String(Base64.getDecoder().decode(parts[parts.length - 1]), StandardCharsets.UTF_8))
                    .endsWith("\0mailer\0" + password);
        }
        String logged = Files.readString(log);
        assertThat(logged).contains("Apache Camel").doesNotContain(password).doesNotContain(apiKey);
    }
}
