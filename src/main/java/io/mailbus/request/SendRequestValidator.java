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
    private TemplateRenderer templates;
    private int maxPersonalizations = 500;
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
        String defaultId = exchange.getProperty(DEFAULT_ID_PROPERTY, String.class);
        if (request != null && !request.getPersonalizations().isEmpty()) {
            List<SendRequest> messages = expand(request, defaultId, errors);
            in.setBody(messages);
            in.setHeader(REQUEST_ID_HEADER, baseId(request, defaultId));
            return;
        }
        SendRequest normalised = validate(request, defaultId, errors);
        in.setBody(normalised);
        in.setHeader(REQUEST_ID_HEADER, normalised.getId());
    }

    /**
     * A personalised request: one message per entry, each to the entry's recipients and rendered with its variables
     * over the request's, each with the id {@code <request id>-<index>} (derived, so a redelivered request gives the
     * same ids and the delivery side's duplicate check holds). It is one request: any entry's error refuses all of
     * it; errors about an entry's recipients or variables name it ({@code personalizations[1].variables.name}),
     * the others are reported once.
     *
     * @throws InvalidSendRequestException with every error
     */
    public List<SendRequest> expand(SendRequest request, String defaultId, List<ValidationError> errors) {
        List<Personalization> entries = request.getPersonalizations();
        if (entries.size() > maxPersonalizations) {
            errors.add(new ValidationError("personalizations", ErrorCode.TOO_MANY_PERSONALIZATIONS,
                    "at most " + maxPersonalizations + " (mailbus.limits.max-personalizations)"));
            throw new InvalidSendRequestException(errors);
        }
        for (String field : List.of("to", "cc", "bcc")) {
            List<String> given = field.equals("to") ? request.getTo() : field.equals("cc") ? request.getCc()
                    : request.getBcc();
            if (!given.isEmpty()) {
                errors.add(new ValidationError(field, ErrorCode.RECIPIENTS_CONFLICT,
                        "with personalizations, each entry names its recipients"));
            }
        }
        String base = baseId(request, defaultId);
        java.util.Set<String> reported = new java.util.HashSet<>();
        List<SendRequest> messages = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Personalization entry = entries.get(i);
            SendRequest one = request.copy();
            one.setPersonalizations(null);
            one.setTo(entry.getTo());
            one.setCc(entry.getCc());
            one.setBcc(entry.getBcc());
            java.util.Map<String, Object> variables = new java.util.LinkedHashMap<>(request.getVariables());
            variables.putAll(entry.getVariables());
            one.setVariables(variables);
            one.setId(base + "-" + i);
            List<ValidationError> own = new ArrayList<>();
            messages.add(check(one, own));
            for (ValidationError e : own) {
                if (e.field().matches("(to|cc|bcc|variables)([.\\[].*)?")) {
                    errors.add(new ValidationError("personalizations[" + i + "]." + e.field(), e.code(), e.message()));
                } else if (reported.add(e.field() + "\u0000" + e.code())) {
                    errors.add(e);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidSendRequestException(errors, errors.stream().anyMatch(e -> e.field().equals("id"))
                    ? null : base);
        }
        return messages;
    }

    private static String baseId(SendRequest request, String defaultId) {
        if (!Text.blank(request.getId())) {
            return request.getId().trim();
        }
        if (defaultId == null) {
            // generated once per request, here, so every entry shares it
            request.setId(java.util.UUID.randomUUID().toString());
            return request.getId();
        }
        return defaultId;
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
        if (request != null && !request.getPersonalizations().isEmpty()) {
            // only process() expands a request into its messages; a batch element is one message
            errors.add(new ValidationError("personalizations", ErrorCode.INVALID_TYPE,
                    "not accepted in a batch element: send a personalised request on its own"));
        }
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
    private SendRequest check(SendRequest request, List<ValidationError> errors) {
        SendRequest in = rendered(request, errors);
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

    /**
     * A request naming a template, with the template's subject, text and html in place of its own (which it must not
     * give); a copy, {@code in} is not changed. When the template cannot be rendered its errors are reported and the
     * parts stand in as placeholders, so the content rules do not add "subject required" on top.
     */
    private SendRequest rendered(SendRequest in, List<ValidationError> errors) {
        if (in.getTemplate() == null) {
            if (!in.getVariables().isEmpty()) {
                errors.add(new ValidationError("template", ErrorCode.REQUIRED, "variables are for a template"));
            }
            return in;
        }
        SendRequest copy = in.copy();
        copy.setTemplate(null);
        copy.setVariables(null);
        boolean conflict = false;
        for (String field : List.of("subject", "text", "html")) {
            String given = field.equals("subject") ? in.getSubject() : field.equals("text") ? in.getText() : in.getHtml();
            if (given != null) {
                conflict = true;
                errors.add(new ValidationError(field, ErrorCode.TEMPLATE_CONFLICT,
                        "the template '" + in.getTemplate() + "' provides it"));
            }
        }
        List<ValidationError> own = new ArrayList<>();
        TemplateRenderer.Rendered r = templates == null ? null : templates.render(in.getTemplate().trim(),
                in.getVariables(), own);
        if (templates == null) {
            own.add(new ValidationError("template", ErrorCode.TEMPLATE_UNKNOWN, "no templates are configured"));
        }
        errors.addAll(own);
        if (r == null || conflict) {
            copy.setSubject("-");
            copy.setText("-");
            copy.setHtml(null);
        } else {
            copy.setSubject(r.subject());
            copy.setText(r.text());
            copy.setHtml(r.html());
        }
        return copy;
    }

    /** Where named templates come from; null: none are configured, and every template is unknown. */
    public void setTemplates(TemplateRenderer templates) {
        this.templates = templates;
    }

    /** Most personalizations in one request (500). */
    public void setMaxPersonalizations(int maxPersonalizations) {
        this.maxPersonalizations = maxPersonalizations;
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
