package io.mailbus.it;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.oauth.TokenEndpoint;
import io.mailbus.smtppool.ScriptedSmtpServer;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * XOAUTH2 from settings: a named server with {@code mailbus.smtp.server.<name>.oauth.*} logs in as its mailbox with a
 * token of the client credentials grant, and a server whose client secret the identity provider refuses keeps the
 * request on email.dlq as a configuration failure, to replay once the secret is fixed.
 */
class OAuthLoginIT extends MailbusTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private TokenEndpoint tokens;
    private ScriptedSmtpServer office;
    private ScriptedSmtpServer refused;

    @Override
    protected void overrides(Properties p) {
        try {
            tokens = new TokenEndpoint();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        office = newScriptedSmtp();
        refused = newScriptedSmtp();
        for (ScriptedSmtpServer s : List.of(office, refused)) {
            s.ehlo("250-stub.test\r\n250-8BITMIME\r\n250 AUTH LOGIN XOAUTH2")
                    .on("AUTH", "235 2.7.0 Authentication successful");
        }
        p.put("mailbus.kafka.enabled", "false");
        p.put("mailbus.smtp.servers", "office,refused");
        p.put("mailbus.smtp.server.office.uri", "smtp-pool:127.0.0.1:" + office.port()
                + "?encryption=none&lazyStart=true&allowPlaintextAuth=true&username=mailbox@contoso.example");
        p.put("mailbus.smtp.server.office.oauth.token-url", tokens.url());
        p.put("mailbus.smtp.server.office.oauth.client-id", TokenEndpoint.CLIENT_ID);
        p.put("mailbus.smtp.server.office.oauth.client-secret", TokenEndpoint.CLIENT_SECRET);
        p.put("mailbus.smtp.server.office.oauth.scope", "https://outlook.office365.com/.default");
        p.put("mailbus.smtp.server.refused.uri", "smtp-pool:127.0.0.1:" + refused.port()
                + "?encryption=none&lazyStart=true&allowPlaintextAuth=true&username=mailbox@contoso.example");
        p.put("mailbus.smtp.server.refused.oauth.token-url", tokens.url());
        p.put("mailbus.smtp.server.refused.oauth.client-id", TokenEndpoint.CLIENT_ID);
        p.put("mailbus.smtp.server.refused.oauth.client-secret", "an-expired-secret");
        p.put("mailbus.smtp.server.refused.oauth.scope", "https://outlook.office365.com/.default");
    }

    @AfterAll
    void closeTokenEndpoint() {
        tokens.close();
    }

    @Test
    void shouldDeliverWithTheBearerTokenOfTheClientCredentialsGrant() throws Exception {
        String id = "oauth-" + UUID.randomUUID();
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to", List.of("r@example.com"),
                "subject", "oauth " + id, "text", "x", "server", "office")), Map.of());

        bus().awaitEvent(id, BusClient.named("delivered"));
        assertThat(office.messages()).anyMatch(m -> new String(m, StandardCharsets.UTF_8).contains(id));
        List<String> logins = office.commands().stream().filter(c -> c.startsWith("AUTH XOAUTH2 "))
                .map(c -> new String(Base64.getDecoder().decode(c.substring(13).trim()), StandardCharsets.UTF_8))
                .toList();
        assertThat(logins).isNotEmpty().allMatch(l -> l.matches(
                "user=mailbox@contoso\\.example\u0001auth=Bearer token-\\d+\u0001\u0001"));
        assertThat(tokens.forms()).anyMatch(f -> TokenEndpoint.CLIENT_SECRET.equals(f.get("client_secret"))
                && "https://outlook.office365.com/.default".equals(f.get("scope")));
    }

    @Test
    void shouldKeepTheRequestForReplayWhenTheClientSecretIsRefused() throws Exception {
        String id = "oauth-refused-" + UUID.randomUUID();
        bus().send("email.send", JSON.writeValueAsString(Map.of("id", id, "to", List.of("r@example.com"),
                "subject", "refused " + id, "text", "x", "server", "refused")), Map.of());

        List<JsonNode> events = bus().awaitEvent(id, BusClient.named("failed"));
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("queued", "failed");
        assertThat(events.get(1).path("reason").asText()).isEqualTo("configuration");
        assertThat(events.get(1).toString()).contains("invalid_client").doesNotContain("an-expired-secret");
        TextMessage dead = bus().take("email.dlq", id);
        assertThat(dead).isNotNull();
        assertThat(dead.getStringProperty("MailbusOutcome")).isEqualTo("configuration");
        assertThat(refused.connections()).isZero();
    }
}
