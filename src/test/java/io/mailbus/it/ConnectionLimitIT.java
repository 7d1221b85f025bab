package io.mailbus.it;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.smtppool.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pins a relay that allows one connection from us and greets the others with Postfix's
 * {@code 421 4.7.0 ... too many connections from <ip>}: 50 requests over JMS with the default pool size and four
 * consumers are all delivered and none dead-lettered; the pool shrinks to what the server allows instead of
 * hammering it, and the refused connections retry on the connection schedule.
 */
class ConnectionLimitIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 50;
    private static ScriptedSmtpServer smtp;

    @Override
    protected void overrides(Properties p) {
        smtp = scriptedSmtp(p);
        smtp.maxConnections(1);
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.jms.concurrent-consumers", "4");
        p.put("mailbus.jms.max-concurrent-consumers", "4");
    }


    @Test
    void shouldDeliverEveryRequestToAServerThatAllowsOneConnection() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < REQUESTS; i++) {
            bus().send("email.send", JSON.writeValueAsString(Map.of("id", "limit-" + run + "-" + i,
                    "to", List.of("limit-" + i + "@example.com"), "subject", "limit " + run + " " + i, "text", "t")),
                    Map.of());
        }

        await().atMost(java.time.Duration.ofSeconds(120)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> delivered(run), n -> n == REQUESTS);

        System.out.printf("connection limit: %d connections refused with 421 4.7.0, %d opened in all%n",
                smtp.refusedConnections(), smtp.connections());
        assertThat(delivered(run)).isEqualTo(REQUESTS);
        for (String queue : List.of("email.dlq", "email.rejected", "email.send", "email.retry")) {
            assertThat(QueueCounts.count(queue, "limit-" + run)).as(queue).isZero();
        }
        // the pool learnt the server's limit: far fewer refused connections than requests
        assertThat(smtp.refusedConnections()).isLessThan(REQUESTS);
    }

    private static long delivered(String run) {
        return smtp.messages().stream().map(String::new).filter(m -> m.contains("Subject: limit " + run + " ")).count();
    }
}
