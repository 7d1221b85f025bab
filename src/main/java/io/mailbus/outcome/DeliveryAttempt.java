package io.mailbus.outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailbus.MailbusHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Where a request came from and which attempt this is, carried across scheduled redeliveries as the {@code Mailbus*}
 * properties of {@link MailbusHeaders}: the attempt number, the retries spent per {@link RetryClass}, when the first
 * attempt was made, the recipients still owed and the history. They are read before the delivery route drops every
 * inbound header, and they can only narrow a delivery, never widen it: owed recipients are intersected with the
 * request's own.
 */
public final class DeliveryAttempt {

    static final int MAX_ATTEMPTS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ingress;
    private final int number;
    private final Map<RetryClass, Integer> retries;
    private final Instant firstAttemptAt;
    private final List<String> retryRecipients;
    private final List<Map<String, Object>> history;
    private final Instant acceptedAt;
    private final String tenant;
    private int deferrals;

    DeliveryAttempt(String ingress, int number, Map<RetryClass, Integer> retries, Instant firstAttemptAt,
                    List<String> retryRecipients, List<Map<String, Object>> history) {
        this(ingress, number, retries, firstAttemptAt, retryRecipients, history, firstAttemptAt);
    }

    DeliveryAttempt(String ingress, int number, Map<RetryClass, Integer> retries, Instant firstAttemptAt,
                    List<String> retryRecipients, List<Map<String, Object>> history, Instant acceptedAt) {
        this(ingress, number, retries, firstAttemptAt, retryRecipients, history, acceptedAt, null);
    }

    private DeliveryAttempt(String ingress, int number, Map<RetryClass, Integer> retries, Instant firstAttemptAt,
                            List<String> retryRecipients, List<Map<String, Object>> history, Instant acceptedAt,
                            String tenant) {
        this.acceptedAt = acceptedAt;
        this.ingress = ingress;
        this.tenant = tenant;
        this.number = number;
        this.retries = retries;
        this.firstAttemptAt = firstAttemptAt;
        this.retryRecipients = retryRecipients;
        this.history = history;
    }

    /** Reads the attempt state off a scheduled retry (a message Mailbus wrote); the defaults where one is missing. */
    static DeliveryAttempt read(Message m, String defaultIngress, Instant now) {
        String ingress = ingressOf(m, defaultIngress);
        Integer n = parseInt(m.getHeader(MailbusHeaders.ATTEMPT, String.class));
        int number = n != null && n >= 1 && n <= MAX_ATTEMPTS ? n : 1;
        Map<RetryClass, Integer> retries = new EnumMap<>(RetryClass.class);
        Instant first = now;
        List<Map<String, Object>> history = new ArrayList<>();
        if (number > 1) {
            retries.putAll(parseRetries(m.getHeader(MailbusHeaders.RETRIES, String.class)));
            Long at = parseLong(m.getHeader(MailbusHeaders.FIRST_ATTEMPT_AT, String.class));
            if (at != null && at > 0 && at <= now.toEpochMilli()) {
                first = Instant.ofEpochMilli(at);
            }
            history.addAll(parseHistory(m.getHeader(MailbusHeaders.HISTORY, String.class)));
        }
        Integer deferred = parseInt(m.getHeader(MailbusHeaders.DEFERRALS, String.class));
        Instant accepted = first;
        Long acceptedMs = parseLong(m.getHeader(MailbusHeaders.ACCEPTED_AT, String.class));
        // a first attempt that waited for its server (rate, circuit) carries the time it was accepted too
        if ((number > 1 || deferred != null && deferred > 0) && acceptedMs != null && acceptedMs > 0 && acceptedMs <= first.toEpochMilli()) {
            accepted = Instant.ofEpochMilli(acceptedMs);
        }
        List<String> owed = parseAddresses(m.getHeader(MailbusHeaders.RETRY_RECIPIENTS, String.class));
        DeliveryAttempt attempt = new DeliveryAttempt(ingress, number, retries, first, owed, history, accepted);
        attempt.deferrals = deferred != null && deferred >= 0 ? deferred : 0;
        return attempt;
    }

    /**
     * A first attempt, whatever the message says: for requests from producers other than Mailbus, whose
     * {@code Mailbus*} properties must not skip the duplicate check, widen or narrow the envelope. Only the ingress
     * label is taken (the HTTP edge and replays set it; it is informational), and only if it names one of ours.
     */
    static DeliveryAttempt first(Message m, String defaultIngress, Instant now) {
        return new DeliveryAttempt(ingressOf(m, defaultIngress), 1, new EnumMap<>(RetryClass.class), now, null,
                new ArrayList<>(), acceptedAt(m, now));
    }

    /**
     * When the broker took the request: the JMS message's timestamp (for HTTP, when the edge queued it) or the Kafka
     * record's. Only for metrics (delivery latency), so a producer's odd clock is bounded to the last day, never later
     * than now.
     */
    private static Instant acceptedAt(Message m, Instant now) {
        Object ts = m.getHeader("JMSTimestamp");
        if (ts == null) {
            ts = m.getHeader("kafka.TIMESTAMP");
        }
        if (ts instanceof Number n) {
            long ms = n.longValue();
            if (ms <= now.toEpochMilli() && ms > now.toEpochMilli() - Duration.ofDays(1).toMillis()) {
                return Instant.ofEpochMilli(ms);
            }
        }
        return now;
    }

    /** When the request was accepted by the ingress's broker (or first tried); delivery latency counts from it. */
    public Instant acceptedAt() {
        return acceptedAt;
    }

    /** Where the request first came in (the HTTP edge and replays say so), if the label is one of ours. */
    private static String ingressOf(Message m, String defaultIngress) {
        String ingress = m.getHeader(MailbusHeaders.INGRESS, String.class);
        return "http".equals(ingress) || "jms".equals(ingress) || "kafka".equals(ingress) ? ingress : defaultIngress;
    }

    /**
     * The tenant a message names ({@link MailbusHeaders#TENANT}), as given: on {@code email.send} from a trusted
     * producer or the HTTP edge, on {@code email.retry} from Mailbus. The ingress checks it against the tenants file
     * before {@link #withTenant} keeps it.
     */
    static String claimedTenant(Message m) {
        String t = m.getHeader(MailbusHeaders.TENANT, String.class);
        return t == null || t.isBlank() ? null : t.trim();
    }

    /** This attempt, belonging to {@code tenant} (a known tenant id, or null). */
    DeliveryAttempt withTenant(String tenant) {
        DeliveryAttempt same = new DeliveryAttempt(ingress, number, retries, firstAttemptAt, retryRecipients, history,
                acceptedAt, tenant);
        same.deferrals = deferrals;
        return same;
    }

    static DeliveryAttempt of(Exchange exchange) {
        DeliveryAttempt a = exchange.getProperty(MailbusHeaders.ATTEMPT_PROPERTY, DeliveryAttempt.class);
        return a != null ? a : new DeliveryAttempt("direct", 1, new EnumMap<>(RetryClass.class), Instant.now(), null,
                new ArrayList<>());
    }

    public String ingress() {
        return ingress;
    }

    /** The request's tenant; null when tenants are off. */
    public String tenant() {
        return tenant;
    }

    public int number() {
        return number;
    }

    /** Null when every recipient of the request is owed the message; else the ones still owed it. */
    public List<String> retryRecipients() {
        return retryRecipients;
    }

    /** How often this request waited for its server without an attempt being counted. */
    public int deferrals() {
        return deferrals;
    }

    int retriesOf(RetryClass c) {
        return retries.getOrDefault(c, 0);
    }

    Duration age(Instant now) {
        return Duration.between(firstAttemptAt, now);
    }

    void record(int code, String enhanced, String text, Instant at) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("attempt", number);
        entry.put("at", at.toString());
        entry.put("code", code);
        if (enhanced != null) {
            entry.put("enhancedCode", enhanced);
        }
        entry.put("text", text);
        history.add(entry);
    }

    String historyJson() {
        try {
            return JSON.writeValueAsString(history);
        } catch (Exception e) {
            return "[]";
        }
    }

    /** The state the next attempt begins with, after one more retry of {@code spent}, as message headers. */
    void writeNext(Map<String, Object> m, RetryClass spent, List<String> owed) {
        Map<RetryClass, Integer> next = new EnumMap<>(RetryClass.class);
        next.putAll(retries);
        next.merge(spent, 1, Integer::sum);
        m.put(MailbusHeaders.ATTEMPT, String.valueOf(number + 1));
        m.put(MailbusHeaders.RETRIES, next.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
        m.put(MailbusHeaders.FIRST_ATTEMPT_AT, String.valueOf(firstAttemptAt.toEpochMilli()));
        m.put(MailbusHeaders.ACCEPTED_AT, String.valueOf(acceptedAt.toEpochMilli()));
        m.put(MailbusHeaders.INGRESS, ingress);
        if (tenant != null) {
            m.put(MailbusHeaders.TENANT, tenant);
        }
        m.put(MailbusHeaders.HISTORY, historyJson());
        if (owed != null) {
            m.put(MailbusHeaders.RETRY_RECIPIENTS, addressesJson(owed));
        }
    }

    /**
     * The state the same attempt begins with again after waiting {@code wait} for its server: number and retries
     * unchanged, the first-attempt time moved later by the wait so that it does not count against the maximum age
     * (a first attempt's is not carried at all: it starts when the attempt really begins).
     */
    void writeSame(Map<String, Object> m, Duration wait) {
        m.put(MailbusHeaders.ATTEMPT, String.valueOf(number));
        m.put(MailbusHeaders.RETRIES, retries.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
        m.put(MailbusHeaders.FIRST_ATTEMPT_AT, String.valueOf(firstAttemptAt.plus(wait).toEpochMilli()));
        m.put(MailbusHeaders.ACCEPTED_AT, String.valueOf(acceptedAt.toEpochMilli()));
        m.put(MailbusHeaders.INGRESS, ingress);
        if (tenant != null) {
            m.put(MailbusHeaders.TENANT, tenant);
        }
        m.put(MailbusHeaders.HISTORY, historyJson());
        m.put(MailbusHeaders.DEFERRALS, String.valueOf(Math.min(MAX_ATTEMPTS * 100, deferrals + 1)));
        if (retryRecipients != null) {
            m.put(MailbusHeaders.RETRY_RECIPIENTS, addressesJson(retryRecipients));
        }
    }

    /**
     * A list of addresses as a JSON array: a quoted local part may hold a comma ({@code "a,b"@example.com}), so a
     * separator would split one address in two.
     */
    static String addressesJson(List<String> addresses) {
        try {
            return JSON.writeValueAsString(addresses);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The addresses of a JSON array; null (every recipient) when absent or unreadable. */
    private static List<String> parseAddresses(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            List<String> out = JSON.readValue(json, new TypeReference<List<String>>() { });
            return out.isEmpty() ? null : List.copyOf(out);
        } catch (Exception unreadable) {
            return null;
        }
    }

    private static Map<RetryClass, Integer> parseRetries(String s) {
        Map<RetryClass, Integer> out = new EnumMap<>(RetryClass.class);
        if (s == null) {
            return out;
        }
        for (String part : s.split(",")) {
            String[] kv = part.split("=", 2);
            RetryClass c = kv.length == 2 ? RetryClass.ofKey(kv[0].trim()) : null;
            Integer n = kv.length == 2 ? parseInt(kv[1]) : null;
            if (c != null && n != null && n >= 0 && n <= MAX_ATTEMPTS) {
                out.put(c, n);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> parseHistory(String h) {
        if (h == null) {
            return List.of();
        }
        try {
            return JSON.readValue(h, new TypeReference<List<Map<String, Object>>>() { });
        } catch (Exception ignored) {
            // a history we cannot read is dropped, not fatal: it is informational
            return List.of();
        }
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String s) {
        try {
            return s == null ? null : Long.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
