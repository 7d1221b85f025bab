package io.mailbus.outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Where a request came from and which attempt this is, carried across scheduled redeliveries as the message
 * properties {@code MailbusAttempt}, {@code MailbusIngress}, {@code MailbusRetryRecipients} and
 * {@code MailbusHistory}. They are read before the delivery route drops every inbound header, and they can
 * only narrow a delivery, never widen it: retry recipients are intersected with the request's own.
 */
public final class DeliveryAttempt {

    /** The exchange property holding this object. */
    public static final String PROPERTY = "mailbusAttempt";
    static final String ATTEMPT_HEADER = "MailbusAttempt";
    static final String INGRESS_HEADER = "MailbusIngress";
    static final String RETRY_RECIPIENTS_HEADER = "MailbusRetryRecipients";
    static final String HISTORY_HEADER = "MailbusHistory";
    static final int MAX_ATTEMPTS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ingress;
    private final int number;
    private final List<String> retryRecipients;
    private final List<Map<String, Object>> history;

    DeliveryAttempt(String ingress, int number, List<String> retryRecipients, List<Map<String, Object>> history) {
        this.ingress = ingress;
        this.number = number;
        this.retryRecipients = retryRecipients;
        this.history = history;
    }

    /** Called first by each ingress flow, while the transport headers are still there. */
    public static void begin(Exchange exchange, String defaultIngress) {
        Message m = exchange.getMessage();
        String ingress = m.getHeader(INGRESS_HEADER, String.class);
        if (!"http".equals(ingress) && !"jms".equals(ingress) && !"kafka".equals(ingress)) {
            ingress = defaultIngress;
        }
        int number = 1;
        Integer n = parseInt(m.getHeader(ATTEMPT_HEADER, String.class));
        if (n != null && n >= 1 && n <= MAX_ATTEMPTS) {
            number = n;
        }
        String rcpts = m.getHeader(RETRY_RECIPIENTS_HEADER, String.class);
        List<String> retryRecipients = rcpts == null || rcpts.isBlank() ? null
                : Arrays.stream(rcpts.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<Map<String, Object>> history = new ArrayList<>();
        String h = m.getHeader(HISTORY_HEADER, String.class);
        if (h != null && number > 1) {
            try {
                history.addAll(JSON.readValue(h, new TypeReference<List<Map<String, Object>>>() { }));
            } catch (Exception ignored) {
                // a history we cannot read is dropped, not fatal: it is informational
            }
        }
        exchange.setProperty(PROPERTY, new DeliveryAttempt(ingress, number, retryRecipients, history));
    }

    static DeliveryAttempt of(Exchange exchange) {
        DeliveryAttempt a = exchange.getProperty(PROPERTY, DeliveryAttempt.class);
        return a != null ? a : new DeliveryAttempt("direct", 1, null, new ArrayList<>());
    }

    public String ingress() {
        return ingress;
    }

    public int number() {
        return number;
    }

    /** Null on a first attempt; on a retry after partial delivery, the recipients still owed the message. */
    public List<String> retryRecipients() {
        return retryRecipients;
    }

    List<Map<String, Object>> history() {
        return history;
    }

    void record(Map<String, Object> entry) {
        history.add(entry);
    }

    String historyJson() {
        try {
            return JSON.writeValueAsString(history);
        } catch (Exception e) {
            return "[]";
        }
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
