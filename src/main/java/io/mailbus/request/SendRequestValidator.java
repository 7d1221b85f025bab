package io.mailbus.request;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Validates and normalises a send request before anything is built from it: the HTTP edge's check before it
 * answers, and the delivery route's first step. A JSON body (bytes, stream or text) is read first
 * ({@link JsonBody}); a {@link SendRequest} body is checked as it is. On success the body is the normalised request
 * (id and from defaulted, addresses canonical, recipients de-duplicated, fields trimmed; large strings shared, not
 * copied) and {@link #REQUEST_ID_HEADER} carries its id.
 *
 * <p>Every rule is checked and every failure reported in one {@link InvalidSendRequestException}, because a client
 * fixing one field per round trip is slow and a queue consumer cannot ask again. The rules live by subject:
 * {@link RequestIdRule}, {@link MailboxRules}, {@link ContentRules}, {@link AttachmentRules}, {@link HeaderRules},
 * and {@link HeaderSafety} for everything that becomes a header; the codes and what they mean are
 * {@link ErrorCode}'s. Fields are JSON paths: {@code to[0]}, {@code attachments[2].data}, {@code headers.X-Foo}; the
 * empty path is the whole document.
 */
public class SendRequestValidator implements Processor {

    /** The exchange header that carries the request id once validated. */
    public static final String REQUEST_ID_HEADER = "MailbusRequestId";

    /** The exchange property naming the id a request without one gets (set by the bus ingress steps). */
    public static final String DEFAULT_ID_PROPERTY = "mailbusDefaultId";

    private final int maxRecipients;
    private String defaultFrom;
    private int maxSubjectLength = 998;
    private long maxTextBytes = 100L * 1024 * 1024;
    private long maxAttachmentBytes = 25L * 1024 * 1024;
    private long maxTotalAttachmentBytes = 100L * 1024 * 1024;
    private boolean smtpUtf8;
    private int maxHeaders = 100;
    private int maxAttachments = 100;
    private int maxReplyTo = 10;
    private int maxTags = 20;
    private int maxTagLength = 128;
    private int maxMetadataKeys = 50;
    private int maxMetadataValueChars = 1024;
    private boolean allowQuotedLocalParts;
    private Predicate<String> knownServers = name -> true;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private java.time.Duration maxScheduleHorizon = java.time.Duration.ofDays(30);

    /**
     * @param maxRecipients most distinct recipients across to, cc and bcc; the setting
     *     {@code mailbus.limits.max-recipients} is its one source, so no default is written here
     */
    public SendRequestValidator(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        List<ValidationError> errors = new ArrayList<>();
        SendRequest request = in.getBody() instanceof SendRequest r ? r : JsonBody.read(in, errors);
        SendRequest normalised = validate(request, exchange.getProperty(DEFAULT_ID_PROPERTY, String.class), errors);
        in.setBody(normalised);
        in.setHeader(REQUEST_ID_HEADER, normalised.getId());
    }

    /**
     * One JSON request read and validated on its own, e.g. an element of a batch.
     *
     * @param defaultId the id it gets when it names none; null for a random one
     * @return the normalised request
     * @throws InvalidSendRequestException with every error
     */
    public SendRequest validate(String json, String defaultId) {
        List<ValidationError> errors = new ArrayList<>();
        return validate(JsonBody.read(json, errors), defaultId, errors);
    }

    private SendRequest validate(SendRequest request, String defaultId, List<ValidationError> errors) {
        if (request != null && (request.getId() == null || request.getId().isBlank())) {
            // a bus message without an id: one derived from the message, so a redelivery keeps it
            request.setId(defaultId);
        }
        SendRequest normalised = request == null ? null : check(request, errors);
        if (!errors.isEmpty()) {
            boolean idValid = normalised != null && errors.stream().noneMatch(e -> e.field().equals("id"));
            // the invalid event and email.invalid name the request when its id itself was fine
            throw new InvalidSendRequestException(errors, idValid ? normalised.getId() : null);
        }
        return normalised;
    }

    /**
     * The request as it will be sent; every broken rule is added to {@code errors}. {@code in} is not changed. The
     * rules run in the order their errors are reported; they are built per request, from the current settings.
     *
     * <p>Each rule is linear in the request: every list and map is counted ({@code size()}) before its elements are
     * read, a list over its limit is one error and is not walked, and no rule looks at one element while scanning
     * another, so a 10 MiB request of a million keys costs one pass over what was parsed.
     */
    private SendRequest check(SendRequest in, List<ValidationError> errors) {
        SendRequest out = new SendRequest();
        List<Rule> rules = List.of(new RequestIdRule(),
                new MailboxRules(defaultFrom, maxRecipients, smtpUtf8).maxReplyTo(maxReplyTo)
                        .allowQuotedLocalParts(allowQuotedLocalParts),
                new ContentRules(maxSubjectLength, maxTextBytes),
                new AttachmentRules(maxAttachmentBytes, maxTotalAttachmentBytes, maxAttachments),
                new HeaderRules(maxHeaders), new CarriedFields(maxTags, maxTagLength, maxMetadataKeys,
                        maxMetadataValueChars), this::server, new ScheduleRule(clock, maxScheduleHorizon));
        for (Rule rule : rules) {
            rule.check(in, out, errors);
        }
        return out;
    }

    /** A named server must be one the resolver knows. */
    private void server(SendRequest in, SendRequest out, List<ValidationError> errors) {
        if (in.getServer() != null) {
            out.setServer(in.getServer().trim());
            if (!knownServers.test(out.getServer())) {
                errors.add(new ValidationError("server", ErrorCode.UNKNOWN_SERVER,
                        "no SMTP server is configured under this name"));
            }
        }
    }

    /** How far ahead {@code sendAt} may be (30 days, {@code mailbus.schedule.max-horizon}). */
    public void setMaxScheduleHorizon(java.time.Duration maxScheduleHorizon) {
        this.maxScheduleHorizon = maxScheduleHorizon;
    }

    /** The clock {@code sendAt} is compared with (the system's UTC clock; tests pin it). */
    public void setClock(java.time.Clock clock) {
        this.clock = clock;
    }

    /** The sender used when a request names none; {@code null} makes from required. */
    public void setDefaultFrom(String defaultFrom) {
        this.defaultFrom = defaultFrom;
    }

    /** Longest subject in characters (998, the RFC 5322 line limit). */
    public void setMaxSubjectLength(int maxSubjectLength) {
        this.maxSubjectLength = maxSubjectLength;
    }

    /** Largest text or html body in UTF-8 bytes (100 MB). */
    public void setMaxTextBytes(long maxTextBytes) {
        this.maxTextBytes = maxTextBytes;
    }

    /** Largest single attachment, decoded (25 MB). */
    public void setMaxAttachmentBytes(long maxAttachmentBytes) {
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    /** Largest sum of decoded attachments (100 MB). */
    public void setMaxTotalAttachmentBytes(long maxTotalAttachmentBytes) {
        this.maxTotalAttachmentBytes = maxTotalAttachmentBytes;
    }

    /** Whether the SMTP server will be asked for SMTPUTF8, which non-ASCII local parts need (false). */
    public void setSmtpUtf8(boolean smtpUtf8) {
        this.smtpUtf8 = smtpUtf8;
    }

    /** Most custom headers (100). */
    public void setMaxHeaders(int maxHeaders) {
        this.maxHeaders = maxHeaders;
    }

    /** Most attachments (100). */
    public void setMaxAttachments(int maxAttachments) {
        this.maxAttachments = maxAttachments;
    }

    /** Most replyTo mailboxes (10). */
    public void setMaxReplyTo(int maxReplyTo) {
        this.maxReplyTo = maxReplyTo;
    }

    /** Most tags (20). */
    public void setMaxTags(int maxTags) {
        this.maxTags = maxTags;
    }

    /** Longest tag in characters (128). */
    public void setMaxTagLength(int maxTagLength) {
        this.maxTagLength = maxTagLength;
    }

    /** Most metadata keys (50). */
    public void setMaxMetadataKeys(int maxMetadataKeys) {
        this.maxMetadataKeys = maxMetadataKeys;
    }

    /** Largest metadata value in characters of its JSON text (1024). */
    public void setMaxMetadataValueChars(int maxMetadataValueChars) {
        this.maxMetadataValueChars = maxMetadataValueChars;
    }

    /** Whether quoted local parts that need their quotes ({@code "john doe"@example.com}) are accepted (false). */
    public void setAllowQuotedLocalParts(boolean allowQuotedLocalParts) {
        this.allowQuotedLocalParts = allowQuotedLocalParts;
    }

    /**
     * Answers whether a request's {@code server} names a configured SMTP route: the resolver that will route it
     * answers, so the names are known in one place. Unset, any name is accepted.
     */
    public void setKnownServers(Predicate<String> knownServers) {
        this.knownServers = knownServers;
    }
}
