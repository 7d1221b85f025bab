package io.mailbus.http;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.request.ErrorCode;
import io.mailbus.request.ForbiddenSendRequestException;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.RequestTooLargeException;
import io.mailbus.request.ValidationError;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever stopped an HTTP request into the one error shape of the API,
 * {@code {"errors":[{"field","code","message"}]}}, with the status a client can act on: 400 fix the request,
 * 401 fix the key, 403 the key's tenant may not send this, 404 no such message or suppression (of this caller), 429 slow down (Retry-After), 409 an Idempotency-Key used for another body, 503 try again later (the queue was not reached, so nothing was accepted), 500 for the
 * rest. Internal details are logged, never echoed.
 */
public class HttpErrorResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrorResponder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        List<ValidationError> errors;
        if (cause instanceof ApiKeyRejectedException) {
            status = 401;
            errors = List.of(new ValidationError("Authorization", "unauthorized",
                    "a valid API key is required as 'Authorization: Bearer <key>'"));
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
        } else if (cause instanceof NotFoundException notFound) {
            status = 404;
            errors = List.of(new ValidationError(notFound.getField(), "not_found", cause.getMessage()));
        } else if (cause instanceof IdempotencyConflictException conflict) {
            status = 409;
            errors = List.of(new ValidationError(IdempotencyKeys.HEADER, conflict.getCode(), conflict.getMessage()));
        } else if (cause instanceof RateLimitedException limited) {
            status = 429;
            errors = List.of(new ValidationError("", ErrorCode.RATE_LIMITED,
                    "too many requests for this API key's tenant; retry after the seconds of Retry-After"));
            exchange.getMessage().setHeader("Retry-After", String.valueOf(limited.getRetryAfterSeconds()));
        } else if (cause instanceof ForbiddenSendRequestException forbidden) {
            status = 403;
            errors = forbidden.getErrors();
        } else if (cause instanceof InvalidSendRequestException invalid) {
            status = 400;
            errors = invalid.getErrors();
        } else if (cause instanceof RequestTooLargeException) {
            status = 413;
            errors = List.of(new ValidationError("", RequestTooLargeException.CODE, cause.getMessage()));
            LOG.warn("HTTP request refused: {}", cause.getMessage());
        } else if (isBrokerUnavailable(cause)) {
            status = 503;
            errors = List.of(new ValidationError("", "queue_unavailable",
                    "the request could not be queued; nothing was accepted, retry later"));
            exchange.getMessage().setHeader("Retry-After", "5");
            LOG.warn("HTTP request not queued: {}", String.valueOf(cause));
        } else {
            status = 500;
            errors = List.of(new ValidationError("", "internal_error", "the request could not be processed"));
            LOG.error("HTTP request failed", cause);
        }
        JsonReplies.write(exchange, status, JSON.writeValueAsString(Map.of("errors", errors)), "WWW-Authenticate",
                "Retry-After");
    }

    /**
     * JMS, database and connection failures anywhere in the cause chain: the broker or the database (Idempotency-Keys,
     * the request's owner), not the request, is at fault.
     */
    static boolean isBrokerUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (c instanceof ConnectException || c instanceof jakarta.jms.JMSException || c instanceof java.sql.SQLException
                    || name.startsWith("org.springframework.jms.")
                    || name.startsWith("org.apache.activemq.artemis.api.core.ActiveMQ")) {
                return true;
            }
        }
        return false;
    }
}
