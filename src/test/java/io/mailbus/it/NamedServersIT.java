package io.mailbus.it;

import java.net.http.HttpResponse;
import java.util.Properties;
import java.util.UUID;

import io.mailbus.smtppool.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins the request's {@code server} field: a name from mailbus.smtp.servers routes the mail to that
 * operator-defined endpoint, no name uses the default server, and an unknown name is refused up front.
 */
class NamedServersIT extends MailbusTestSupport {

    private static ScriptedSmtpServer bulk;

    @Override
    protected void overrides(Properties p) {
        try {
            bulk = new ScriptedSmtpServer();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.put("mailbus.smtp.servers", "bulk");
        p.put("mailbus.smtp.server.bulk.uri", "smtp-pool:127.0.0.1:" + bulk.port() + "?encryption=none&lazyStart=true");
        p.put("mailbus.kafka.enabled", "false");
    }

    @AfterAll
    void closeServer() throws Exception {
        bulk.close();
    }

    @Test
    void shouldRouteByServerNameAndRefuseAnUnknownOne() throws Exception {
        String viaBulk = "bulk " + UUID.randomUUID();
        String viaDefault = "default " + UUID.randomUUID();
        assertThat(post("""
                {"to": ["b@example.com"], "subject": "%s", "text": "x", "server": "bulk"}
                """.formatted(viaBulk), API_KEY).statusCode()).isEqualTo(202);
        assertThat(post("""
                {"to": ["b@example.com"], "subject": "%s", "text": "x"}
                """.formatted(viaDefault), API_KEY).statusCode()).isEqualTo(202);
        HttpResponse<String> unknown = post("""
                {"to": ["b@example.com"], "subject": "s", "text": "x", "server": "elsewhere"}
                """, API_KEY);

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("\"field\":\"server\"", "unknown_server");
        Mailboxes.awaitSubject(greenMail(), viaDefault, 1);
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> bulk.messages().stream()
                .anyMatch(m -> new String(m).contains(viaBulk)));
        assertThat(Mailboxes.withSubject(greenMail(), viaBulk)).isEmpty();
        assertThat(bulk.messages().stream().noneMatch(m -> new String(m).contains(viaDefault))).isTrue();
    }
}
