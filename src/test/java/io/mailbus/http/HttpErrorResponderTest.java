package io.mailbus.http;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.RequestTooLargeException;
import io.mailbus.request.ValidationError;
import jakarta.jms.JMSException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins each status the HTTP edge answers a failure with, in the API's one error shape: what a client can act on,
 * never an internal detail.
 */
class HttpErrorResponderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Exchange answer(Throwable failure) throws Exception {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setHeader("Authorization", "Bearer secret-key");
        e.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        new HttpErrorResponder().process(e);
        return e;
    }

    private static JsonNode firstError(Exchange e) throws Exception {
        return JSON.readTree(e.getMessage().getBody(String.class)).path("errors").get(0);
    }

    private static int status(Exchange e) {
        return e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    @Test
    void shouldAnswer400WithEveryValidationError() throws Exception {
        Exchange e = answer(new InvalidSendRequestException(List.of(
                new ValidationError("to[0]", "invalid_address", "not an address"),
                new ValidationError("subject", "header_injection", "CR or LF in subject"))));
        assertThat(status(e)).isEqualTo(400);
        JsonNode errors = JSON.readTree(e.getMessage().getBody(String.class)).path("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(1).path("field").asText()).isEqualTo("subject");
    }

    @Test
    void shouldAnswer401WithAChallengeAndNoEchoOfTheKey() throws Exception {
        Exchange e = answer(new ApiKeyRejectedException());
        assertThat(status(e)).isEqualTo(401);
        assertThat(e.getMessage().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(firstError(e).path("code").asText()).isEqualTo("unauthorized");
        assertThat(e.getMessage().getBody(String.class)).doesNotContain("secret-key");
        assertThat(e.getMessage().getHeader("Authorization")).isNull();
    }

    @Test
    void shouldAnswer409ForAnIdempotencyKeyUsedForAnotherBody() throws Exception {
        Exchange e = answer(new IdempotencyConflictException("idempotency_key_reused", "used for another body"));
        assertThat(status(e)).isEqualTo(409);
        assertThat(firstError(e).path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void shouldAnswer413ForARequestTooLargeToRead() throws Exception {
        Exchange e = answer(new RequestTooLargeException(200_000_000L, new OutOfMemoryError("Java heap space")));
        assertThat(status(e)).isEqualTo(413);
        assertThat(firstError(e).path("code").asText()).isEqualTo(RequestTooLargeException.CODE);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheBrokerCannotTakeTheRequest() throws Exception {
        Exchange e = answer(new org.apache.camel.CamelExecutionException("send failed", null,
                new JMSException("AMQ219010: Connection is destroyed")));
        assertThat(status(e)).isEqualTo(503);
        assertThat(e.getMessage().getHeader("Retry-After")).isEqualTo("5");
        assertThat(firstError(e).path("code").asText()).isEqualTo("queue_unavailable");
    }

    @Test
    void shouldAnswer500WithoutTheInternalDetail() throws Exception {
        Exchange e = answer(new IllegalStateException("NullPointer in com.example.Secret line 42"));
        assertThat(status(e)).isEqualTo(500);
        assertThat(firstError(e).path("code").asText()).isEqualTo("internal_error");
        assertThat(e.getMessage().getBody(String.class)).doesNotContain("Secret");
    }
}
