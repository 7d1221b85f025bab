package io.mailbus.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** Pins that an Idempotency-Key is the caller's own: another API key using the same key is another request. */
class IdempotencyKeysTest {

    private final IdempotencyKeys keys = new IdempotencyKeys(IdempotencyStore.inMemory(100), Duration.ofHours(1),
            java.time.Clock.systemUTC());
    private final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange request(String apiKey, String key, String body) {
        Exchange e = new DefaultExchange(context);
        // as the authenticator leaves it: the Authorization header gone, the caller's digest kept
        e.setProperty(io.mailbus.MailbusHeaders.CALLER_PROPERTY, CallerScope.digest("Bearer " + apiKey));
        e.getMessage().setHeader("Idempotency-Key", key);
        e.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return e;
    }

    @Test
    void shouldKeepOneCallersKeyApartFromAnothers() {
        Exchange first = request("key-of-alice", "order-42", "{\"subject\":\"alice\"}");
        keys.check(first);
        first.getMessage().setBody("{\"id\":\"a\",\"status\":\"queued\"}");
        keys.complete(first);

        Exchange other = request("key-of-mallory", "order-42", "{\"subject\":\"mallory\"}");
        assertThatNoException().isThrownBy(() -> keys.check(other));
        assertThat(other.isRouteStop()).as("mallory does not get alice's 202").isFalse();

        Exchange sameCallerOtherBody = request("key-of-alice", "order-42", "{\"subject\":\"changed\"}");
        assertThatThrownBy(() -> keys.check(sameCallerOtherBody)).isInstanceOf(IdempotencyConflictException.class);
    }

    @Test
    void shouldDigestALargeBodyFromItsSpoolFileAsTheSameBytesInMemory() throws Exception {
        String body = "{\"subject\":\"large\",\"text\":\"" + "x".repeat(100_000) + "\"}";
        Exchange first = request("key-of-alice", "order-43", body);
        keys.check(first);
        first.getMessage().setBody("{\"id\":\"l\",\"status\":\"queued\"}");
        keys.complete(first);

        Exchange again = spooled(request("key-of-alice", "order-43", body), body);
        Exchange changed = spooled(request("key-of-alice", "order-43", body), body.replace("large", "other"));
        try {
            keys.check(again);
            assertThat(again.isRouteStop()).as("the same body, spooled, is a repeat: the original 202").isTrue();
            assertThat(again.getMessage().getHeader("Idempotent-Replayed")).isEqualTo("true");
            assertThatThrownBy(() -> keys.check(changed)).isInstanceOf(IdempotencyConflictException.class);
        } finally {
            // the exchanges complete: their spools are deleted
            for (Exchange e : java.util.List.of(again, changed)) {
                e.getExchangeExtension().handoverCompletions().forEach(done -> done.onComplete(e));
            }
        }
    }

    /** The body as the HTTP edge hands on a large one: a file of the exchange's spool. */
    private static Exchange spooled(Exchange e, String body) throws Exception {
        io.mailbus.request.Spool spool = io.mailbus.request.Spool.of(e);
        java.nio.file.Path file = spool.newFile(".json");
        java.nio.file.Files.writeString(file, body);
        e.getMessage().setBody(new io.mailbus.request.SpooledJson(file, spool));
        return e;
    }
}
