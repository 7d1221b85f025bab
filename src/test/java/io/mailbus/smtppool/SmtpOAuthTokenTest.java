package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** Pins that XOAUTH2 asks the token supplier again for every new connection, so a refreshed token is used. */
class SmtpOAuthTokenTest extends ScriptedServerTestSupport {

    @Test
    void shouldAskTheTokenSupplierOnEveryNewConnection() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<String> tokens = () -> "token-" + asked.incrementAndGet();
        context.getRegistry().bind("tokens", tokens);
        server.ehlo("250-stub.test\r\n250 AUTH XOAUTH2").on("AUTH", "235 2.7.0 Accepted");
        String uri = server.uri("username=joe@example.com&authMechanisms=XOAUTH2&oauthTokenSupplier=#tokens"
                                + "&maxMessagesPerConnection=1");

        assertThat(send(uri, List.of("rcpt@example.com")).getException()).isNull();
        assertThat(send(uri, List.of("rcpt@example.com")).getException()).isNull();

        assertThat(asked.get()).isEqualTo(2);
        List<String> auths = server.commands().stream().filter(c -> c.startsWith("AUTH XOAUTH2")).toList();
        assertThat(auths).hasSize(2);
        assertThat(decode(auths.get(1))).contains("user=joe@example.com").contains("auth=Bearer token-2");
    }

    private static String decode(String authCommand) {
        String b64 = authCommand.substring("AUTH XOAUTH2 ".length()).trim();
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
