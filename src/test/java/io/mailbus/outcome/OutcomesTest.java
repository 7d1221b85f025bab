package io.mailbus.outcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.ValidationError;
import io.mailbus.smtppool.DeliveryResult;
import io.mailbus.smtppool.DeliveryStatus;
import io.mailbus.smtppool.RecipientFailure;
import io.mailbus.smtppool.SmtpFailureShapes;
import io.mailbus.smtppool.SmtpPoolConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins what each outcome writes: which queue gets the request, with which {@code Mailbus*} headers, which status
 * event is published, and the retry's attempt state. The queues are mock endpoints; the failures have the shapes
 * the component throws (reply, step, Angus cause), and some arrive wrapped, as Camel may hand them over.
 */
class OutcomesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private CamelContext context;
    private Outcomes outcomes;
    private MemoryIdempotentRepository delivered;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.start();
        delivered = (MemoryIdempotentRepository) MemoryIdempotentRepository.memoryIdempotentRepository(100);
        OutcomeQueues queues = new OutcomeQueues(context, Map.of(OutcomeQueues.Queue.INVALID, "mock:invalid",
                OutcomeQueues.Queue.REJECTED, "mock:rejected", OutcomeQueues.Queue.DLQ, "mock:dlq",
                OutcomeQueues.Queue.RETRY, "mock:retry"));
        outcomes = new Outcomes(new RetryPolicy("1s,5s", "10s,20s", "1m", Duration.ofHours(24)),
                new DeliveredIds(delivered), new EventPublisher(context, "mock:events"), queues,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private Exchange exchange(Map<String, String> inbound, Throwable failure) {
        SendRequest request = new SendRequest();
        request.setId("req-1");
        request.setFrom("sender@example.com");
        request.setTo(List.of("a@example.com", "b@example.com"));
        request.setSubject("s");
        request.setText("t");
        Exchange e = new DefaultExchange(context);
        inbound.forEach(e.getMessage()::setHeader);
        e.setProperty(MailbusHeaders.ATTEMPT_PROPERTY, DeliveryAttempt.read(e.getMessage(), "jms", NOW));
        e.setProperty(MailbusHeaders.REQUEST_PROPERTY, request);
        e.setProperty(MailbusHeaders.ORIGINAL_PAYLOAD_PROPERTY, "{\"id\":\"req-1\"}");
        e.getMessage().setHeaders(Map.of(SmtpPoolConstants.ENVELOPE_TO, List.of("a@example.com", "b@example.com")));
        if (failure != null) {
            e.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        }
        return e;
    }

    private Exchange only(String mock) {
        MockEndpoint m = context.getEndpoint(mock, MockEndpoint.class);
        assertThat(m.getReceivedExchanges()).as(mock).hasSize(1);
        return m.getReceivedExchanges().get(0);
    }

    private int received(String mock) {
        return context.getEndpoint(mock, MockEndpoint.class).getReceivedCounter();
    }

    private List<JsonNode> events() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (Exchange e : context.getEndpoint("mock:events", MockEndpoint.class).getReceivedExchanges()) {
            out.add(JSON.readTree(e.getMessage().getBody(String.class)));
        }
        return out;
    }

    @Test
    void shouldScheduleA451WithItsClassCountAndTheFirstAttemptTime() throws Exception {
        outcomes.failed(exchange(Map.of(), new RuntimeException("wrapped",
                SmtpFailureShapes.transientAt("MAIL FROM", 451, "451 4.3.0 Error: queue file write error"))));

        Exchange retry = only("mock:retry");
        assertThat(retry.getMessage().getHeader("_AMQ_SCHED_DELIVERY")).isEqualTo(NOW.plusSeconds(10).toEpochMilli());
        assertThat(retry.getMessage().getHeader(MailbusHeaders.ATTEMPT)).isEqualTo("2");
        assertThat(retry.getMessage().getHeader(MailbusHeaders.RETRIES)).isEqualTo("transient=1");
        assertThat(retry.getMessage().getHeader(MailbusHeaders.FIRST_ATTEMPT_AT)).isEqualTo(String.valueOf(NOW.toEpochMilli()));
        assertThat(retry.getMessage().getHeader(MailbusHeaders.REQUEST_ID)).isEqualTo("req-1");
        assertThat(retry.getMessage().getHeader(MailbusHeaders.RETRY_RECIPIENTS)).isNull();
        assertThat(JSON.readTree(retry.getMessage().getBody(String.class)).path("id").asText()).isEqualTo("req-1");
        JsonNode deferred = events().get(0);
        assertThat(deferred.path("event").asText()).isEqualTo("deferred");
        assertThat(deferred.path("retryClass").asText()).isEqualTo("transient");
        assertThat(deferred.path("smtpCode").asInt()).isEqualTo(451);
        assertThat(deferred.path("nextAttemptAt").asText()).isEqualTo(NOW.plusSeconds(10).toString());
        assertThat(received("mock:dlq") + received("mock:rejected")).isZero();
    }

    @Test
    void shouldSendAWaitForTheServerBackAsTheSameAttemptWithoutCountingTheWaitAgainstMaxAge() throws Exception {
        Instant first = NOW.minus(Duration.ofHours(23).plusMinutes(59)); // max-age is 24 h: one minute left
        Instant until = NOW.plus(Duration.ofMinutes(10));
        outcomes.failed(exchange(Map.of(MailbusHeaders.ATTEMPT, "4", MailbusHeaders.RETRIES, "transient=2,connection=1",
                MailbusHeaders.FIRST_ATTEMPT_AT, String.valueOf(first.toEpochMilli())),
                new RuntimeException("wrapped", new ServerDeferredException("o365", ServerDeferredException.RATE_LIMITED,
                        until))));

        Exchange retry = only("mock:retry");
        assertThat(retry.getMessage().getHeader("_AMQ_SCHED_DELIVERY")).isEqualTo(until.toEpochMilli());
        assertThat(retry.getMessage().getHeader(MailbusHeaders.ATTEMPT)).isEqualTo("4");
        assertThat(retry.getMessage().getHeader(MailbusHeaders.RETRIES)).isEqualTo("connection=1,transient=2");
        assertThat(retry.getMessage().getHeader(MailbusHeaders.DEFERRALS)).isEqualTo("1");
        DeliveryAttempt back = DeliveryAttempt.read(retry.getMessage(), "jms", until);
        assertThat(back.number()).isEqualTo(4);
        assertThat(back.age(until)).as("the ten minutes waited do not count").isEqualTo(Duration.between(first, NOW));
        assertThat(back.deferrals()).isEqualTo(1);
        JsonNode deferred = events().get(0);
        assertThat(deferred.path("event").asText()).isEqualTo("deferred");
        assertThat(deferred.path("reason").asText()).isEqualTo("rate_limited");
        assertThat(deferred.path("attempt").asInt()).isEqualTo(4);
        assertThat(deferred.has("retryClass")).isFalse();
        assertThat(deferred.path("nextAttemptAt").asText()).isEqualTo(until.toString());
        assertThat(received("mock:dlq") + received("mock:rejected")).isZero();
    }

    @Test
    void shouldDeadLetterWhenTheClassScheduleIsUsedUpAndSayWhy() throws Exception {
        outcomes.failed(exchange(Map.of(MailbusHeaders.ATTEMPT, "4", MailbusHeaders.RETRIES, "transient=2,connection=1",
                MailbusHeaders.FIRST_ATTEMPT_AT, String.valueOf(NOW.minusSeconds(60).toEpochMilli())),
                SmtpFailureShapes.transientAt("MAIL FROM", 451, "451 4.3.0 Error: queue file write error")));

        Exchange dead = only("mock:dlq");
        assertThat(dead.getMessage().getHeader(MailbusHeaders.OUTCOME)).isEqualTo("exhausted");
        assertThat(dead.getMessage().getHeader(MailbusHeaders.ATTEMPTS)).isEqualTo(4);
        assertThat(dead.getMessage().getHeader(MailbusHeaders.SMTP_CODE)).isEqualTo(451);
        assertThat(dead.getMessage().getHeader(MailbusHeaders.SMTP_COMMAND)).isEqualTo("MAIL FROM");
        assertThat(events().get(0).path("reason").asText()).isEqualTo("exhausted");
        assertThat(received("mock:retry")).isZero();
    }

    @Test
    void shouldRejectA5xxWithTheReplyAndLeaveTheIdUnmarked() throws Exception {
        outcomes.failed(exchange(Map.of(), SmtpFailureShapes.permanentAt("MAIL FROM", 554,
                "554 5.7.1 <sender@example.com>: Sender address rejected: Access denied")));

        Exchange rejected = only("mock:rejected");
        assertThat(rejected.getMessage().getHeader(MailbusHeaders.OUTCOME)).isEqualTo("rejected");
        assertThat(rejected.getMessage().getHeader(MailbusHeaders.ENHANCED_CODE)).isEqualTo("5.7.1");
        assertThat((String) rejected.getMessage().getHeader(MailbusHeaders.RECIPIENTS)).contains("a@example.com",
                "pending");
        assertThat(events().get(0).path("event").asText()).isEqualTo("rejected");
        assertThat(delivered.getCache().keySet()).noneMatch(k -> k.startsWith("req-1:"));
    }

    @Test
    void shouldKeepAnAuthenticationFailureAsConfiguration() throws Exception {
        outcomes.failed(exchange(Map.of(), SmtpFailureShapes.authenticationFailed()));

        Exchange dead = only("mock:dlq");
        assertThat(dead.getMessage().getHeader(MailbusHeaders.OUTCOME)).isEqualTo("configuration");
        assertThat(dead.getMessage().getHeader(MailbusHeaders.SMTP_CODE)).isEqualTo(535);
        assertThat(events().get(0).path("reason").asText()).isEqualTo("configuration");
    }

    @Test
    void shouldDeadLetterAnythingElseWithTheError() throws Exception {
        outcomes.failed(exchange(Map.of(), new IllegalStateException("boom")));

        Exchange dead = only("mock:dlq");
        assertThat(dead.getMessage().getHeader(MailbusHeaders.OUTCOME)).isEqualTo("internal");
        assertThat((String) dead.getMessage().getHeader(MailbusHeaders.LAST_ERROR)).contains("boom");
        assertThat(dead.getMessage().getHeader(MailbusHeaders.SMTP_CODE)).isNull();
    }

    @Test
    void shouldSendAnInvalidRequestAsItCameWithItsErrorsAndId() throws Exception {
        Exchange e = exchange(Map.of(), new InvalidSendRequestException(
                List.of(new ValidationError("to[0]", "invalid_address", "not an address")), "req-9"));
        e.removeProperty(MailbusHeaders.REQUEST_PROPERTY);
        outcomes.failed(e);

        Exchange invalid = only("mock:invalid");
        assertThat(invalid.getMessage().getBody(String.class)).isEqualTo("{\"id\":\"req-1\"}");
        assertThat(invalid.getMessage().getHeader(MailbusHeaders.ERROR_CODES)).isEqualTo("invalid_address");
        assertThat(invalid.getMessage().getHeader(MailbusHeaders.REQUEST_ID)).isEqualTo("req-9");
        assertThat(events().get(0).path("id").asText()).isEqualTo("req-9");
    }

    @Test
    void shouldSettleEachRecipientOfAPartialDelivery() throws Exception {
        Exchange e = exchange(Map.of(), null);
        e.getMessage().setHeader(SmtpPoolConstants.DELIVERY_RESULT, new DeliveryResult(DeliveryStatus.PARTIAL, "<m@x>",
                NOW, List.of("a@example.com"), List.of(
                        new RecipientFailure("b@example.com", 550, "5.1.1", "550 5.1.1 <b@example.com>: User unknown"),
                        new RecipientFailure("c@example.com", 450, "4.7.1", "450 4.7.1 <c@example.com>: Greylisted")),
                false, 0, 250, "2.0.0", null));
        outcomes.delivered(e);

        Exchange rejected = only("mock:rejected");
        assertThat(rejected.getMessage().getHeader(MailbusHeaders.OWED_RECIPIENTS)).isEqualTo("[\"b@example.com\"]");
        Exchange retry = only("mock:retry");
        assertThat(retry.getMessage().getHeader(MailbusHeaders.RETRY_RECIPIENTS)).isEqualTo("[\"c@example.com\"]");
        assertThat(retry.getMessage().getHeader(MailbusHeaders.RETRIES)).isEqualTo("throttled=1");
        assertThat(events()).extracting(n -> n.path("event").asText()).containsExactly("partial", "deferred");
        // no JMS transaction here: the id is marked when the exchange completes
        assertThat(delivered.getCache().keySet()).noneMatch(k -> k.startsWith("req-1:"));
        e.getExchangeExtension().handoverCompletions().forEach(s -> s.onComplete(e));
        assertThat(delivered.getCache().keySet()).anyMatch(k -> k.startsWith("req-1:"));
    }
}
