package io.mailbus;

import io.mailbus.mime.MimeDataFormat;
import io.mailbus.request.SendRequestValidator;
import org.apache.camel.spi.Metadata;

/**
 * The names that travel between the YAML flows, the beans and the queues: message headers (JMS properties, Kafka
 * headers) and exchange properties. One class so a name is spelt once; the YAML uses the same strings.
 *
 * <p>The attempt state ({@code MailbusAttempt}, {@code MailbusRetries}, ...) is read only off {@code email.retry}, the
 * queue only Mailbus writes; on {@code email.send} a producer's {@code Mailbus*} properties are ignored but for the
 * ingress label, and every inbound header is dropped before validation.
 */
public final class MailbusHeaders {

    // --- on every queue message Mailbus writes ---
    @Metadata(description = "Where the request entered: http, jms or kafka.", javaType = "String")
    public static final String INGRESS = "MailbusIngress";
    @Metadata(description = "The request id (the request's own, or derived from the JMS message id or the Kafka "
                            + "topic/partition/offset when it gave none).", javaType = "String")
    public static final String REQUEST_ID = "MailbusRequestId";

    @Metadata(description = "The Message-ID header of the rendered message, angle brackets included.",
              javaType = "String")
    public static final String MESSAGE_ID = MimeDataFormat.MESSAGE_ID_HEADER;

    @Metadata(description = "The position (0-based) of a request in the batch it came in, on each request a bus batch "
                            + "was split into and on an invalid element's copy on email.invalid.", javaType = "int")
    public static final String BATCH_INDEX = "MailbusBatchIndex";

    // --- attempt state carried by a scheduled retry on email.retry (read nowhere else) ---
    @Metadata(description = "The number of the next delivery attempt (1-based).", javaType = "int")
    public static final String ATTEMPT = "MailbusAttempt";
    @Metadata(description = "The tenant the request belongs to: the owner of the HTTP API key, or the tenant a bus "
                            + "ingress assigns. Carried on every retry and outcome, and in every event.", javaType = "String")
    public static final String TENANT = "MailbusTenant";
    @Metadata(description = "Retries spent per reply class so far, e.g. connection=3,throttled=1.", javaType = "String")
    public static final String RETRIES = "MailbusRetries";
    @Metadata(description = "When the first attempt was made (epoch milliseconds): the maximum age counts from it. "
                            + "Moved later by every wait for a server's rate or open circuit, which do not count.",
              javaType = "long")
    public static final String FIRST_ATTEMPT_AT = "MailbusFirstAttemptAt";
    @Metadata(description = "When the request was accepted (epoch milliseconds): the broker's timestamp of the "
                            + "first message. Delivery latency counts from it.", javaType = "long")
    public static final String ACCEPTED_AT = "MailbusAcceptedAt";
    @Metadata(description = "How often the request waited for its server (rate limit, open circuit) without an "
                            + "attempt being counted.", javaType = "int")
    public static final String DEFERRALS = "MailbusDeferrals";
    @Metadata(description = "The recipients still owed the message, a JSON array; absent when all are. It can "
                            + "only narrow the request's own recipients.", javaType = "String")
    public static final String RETRY_RECIPIENTS = "MailbusRetryRecipients";
    @Metadata(description = "Every attempt so far as a JSON array of {attempt, at, code, enhancedCode, text}.",
              javaType = "String")
    public static final String HISTORY = "MailbusHistory";

    // --- on email.invalid, email.rejected and email.dlq ---
    @Metadata(description = "Why the request is on this queue: invalid, rejected, suppressed, configuration, exhausted or internal.",
              javaType = "String")
    public static final String OUTCOME = "MailbusOutcome";
    @Metadata(description = "How many delivery attempts were made.", javaType = "int")
    public static final String ATTEMPTS = "MailbusAttempts";
    @Metadata(description = "The decisive SMTP reply code (absent when no server answered).", javaType = "int")
    public static final String SMTP_CODE = "MailbusSmtpCode";
    @Metadata(description = "The decisive RFC 3463 enhanced status code.", javaType = "String")
    public static final String ENHANCED_CODE = "MailbusEnhancedCode";
    @Metadata(description = "The decisive server reply, or the failure's text.", javaType = "String")
    public static final String SMTP_TEXT = "MailbusSmtpText";
    @Metadata(description = "The SMTP step that failed: CONNECT, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO or DATA.",
              javaType = "String")
    public static final String SMTP_COMMAND = "MailbusSmtpCommand";
    @Metadata(description = "Per recipient: accepted, refused, deferred or pending, with the server's reply (JSON).",
              javaType = "String")
    public static final String RECIPIENTS = "MailbusRecipients";
    @Metadata(description = "The recipients this copy is about when it is not all of the request's, a JSON array: "
                            + "a replay delivers to them alone.", javaType = "String")
    public static final String OWED_RECIPIENTS = "MailbusOwedRecipients";
    @Metadata(description = "The failure that was not an SMTP reply (email.dlq).", javaType = "String")
    public static final String LAST_ERROR = "MailbusLastError";
    @Metadata(description = "For email.invalid: every validation error as JSON [{field, code, message}].",
              javaType = "String")
    public static final String ERRORS = "MailbusErrors";
    @Metadata(description = "For email.invalid: the error codes, comma separated (for JMS selectors).",
              javaType = "String")
    public static final String ERROR_CODES = "MailbusErrorCodes";

    // --- on email.events ---
    @Metadata(description = "The event name of a status event, for selectors.", javaType = "String")
    public static final String EVENT = "MailbusEvent";
    @Metadata(description = "The status event's unique id (its eventId), also sent to webhooks as Mailbus-Event-Id.",
              javaType = "String")
    public static final String EVENT_ID = "MailbusEventId";

    // --- on email.webhooks and email.webhooks.dlq (written only by Mailbus) ---
    @Metadata(description = "The webhook endpoint a queued delivery is for, by name (never its URL or secret).",
              javaType = "String")
    public static final String WEBHOOK_TARGET = "MailbusWebhookTarget";
    @Metadata(description = "The number of the next POST of a webhook delivery (1-based).", javaType = "int")
    public static final String WEBHOOK_ATTEMPT = "MailbusWebhookAttempt";
    @Metadata(description = "When a webhook delivery was first queued (epoch milliseconds): its maximum age counts "
                            + "from it.", javaType = "long")
    public static final String WEBHOOK_FIRST_AT = "MailbusWebhookFirstAt";
    @Metadata(description = "Why the last POST of a webhook delivery failed: an HTTP status or a network error.",
              javaType = "String")
    public static final String WEBHOOK_LAST_ERROR = "MailbusWebhookLastError";

    // --- exchange properties (never leave the JVM) ---
    /** The validated {@code SendRequest}, kept while the body becomes MIME bytes. */
    public static final String REQUEST_PROPERTY = "mailbusRequest";
    /** The {@code DeliveryAttempt} begun by the ingress step. */
    public static final String ATTEMPT_PROPERTY = "mailbusAttempt";
    /** The payload as it arrived, for email.invalid. */
    public static final String ORIGINAL_PAYLOAD_PROPERTY = "mailbusOriginalPayload";
    /** The id to give a bus request that names none: stable across redeliveries of the same message. */
    public static final String DEFAULT_ID_PROPERTY = SendRequestValidator.DEFAULT_ID_PROPERTY;
    /** The recipients this attempt's envelope is narrowed to (a retry for those still owed); null for all. */
    public static final String ENVELOPE_RECIPIENTS_PROPERTY = MimeDataFormat.ENVELOPE_RECIPIENTS_PROPERTY;
    /**
     * Who is calling the HTTP edge: a digest of the API key it presented (never the key), set once the key is
     * accepted. Idempotency-Keys and message status are scoped by it (see {@code io.mailbus.http.CallerScope}).
     */
    public static final String CALLER_PROPERTY = "mailbusCaller";
    /** The id of the request's tenant once its ingress knows it (the API key's owner, or a known MailbusTenant). */
    public static final String TENANT_PROPERTY = MimeDataFormat.TENANT_PROPERTY;
    /** True when a bus request named a tenant that the tenants file does not have (unknown_tenant, not required). */
    public static final String TENANT_CLAIMED_PROPERTY = "mailbusTenantClaimed";
    /** The name of the SMTP server the request goes to: its own, or its tenant's default. */
    public static final String SERVER_NAME_PROPERTY = "mailbusServerName";
    /** The {@code smtp-pool:} URI of the server the request goes to. */
    public static final String SERVER_URI_PROPERTY = "mailbusServerUri";
    /**
     * What the YAML's one {@code toD} sends to: the server's endpoint, resolved once at start-up (its URI when it was
     * not). A URI string made {@code toD} parse and normalise the server's long URI on every message, the largest
     * method the JIT compiled in an end-to-end profile.
     */
    public static final String SERVER_ENDPOINT_PROPERTY = "mailbusServerEndpoint";
    /** The server whose circuit let this attempt through: its outcome is recorded there. */
    public static final String CIRCUIT_PROPERTY = "mailbusCircuit";

    private MailbusHeaders() {
    }
}
