package io.mailbus.request;

import com.sanctionco.jmail.EmailValidationResult;
import com.sanctionco.jmail.EmailValidator;
import com.sanctionco.jmail.JMail;

import java.net.IDN;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The mailboxes of a request: from (or the default sender), to, cc, bcc and replyTo, each one RFC 5321/5322 mailbox
 * checked with JMail and kept in canonical form (IDN domain in ASCII). Recipients are de-duplicated here and only
 * here, across to, cc and bcc and ignoring case, keeping the first; the MIME step takes the envelope from the
 * result as it is.
 */
final class MailboxRules implements Rule {

    private static final int MAX_ADDRESS_LENGTH = 254;
    private static final int MAX_DISPLAY_NAME_LENGTH = 256;
    private static final EmailValidator ADDRESSES = JMail.validator()
            .disallowIpDomain()
            .requireTopLevelDomain()
            .disallowExplicitSourceRouting()
            .disallowObsoleteWhitespace()
            .withRule(e -> e.comments().isEmpty(), "comments are not allowed")
            .withRule(e -> !e.hasIdentifier(), "write a display name as Name <addr@example.com>");

    private final String defaultFrom;
    private final int maxRecipients;
    private final boolean smtpUtf8;
    private int maxReplyTo = 10;
    private boolean allowQuotedLocalParts;

    MailboxRules(String defaultFrom, int maxRecipients, boolean smtpUtf8) {
        this.defaultFrom = defaultFrom;
        this.maxRecipients = maxRecipients;
        this.smtpUtf8 = smtpUtf8;
    }

    /** Most replyTo mailboxes; the list is counted before any is parsed. */
    MailboxRules maxReplyTo(int max) {
        this.maxReplyTo = max;
        return this;
    }

    /**
     * Whether a quoted local part that needs its quotes ({@code "john doe"@example.com}, {@code "a>b"@example.com})
     * is accepted: valid RFC 5321, but many downstream parsers split such an address at the space or the
     * {@code >}, so it is refused unless the operator allows it.
     */
    MailboxRules allowQuotedLocalParts(boolean allow) {
        this.allowQuotedLocalParts = allow;
        return this;
    }

    @Override
    public void check(SendRequest in, SendRequest out, List<ValidationError> errors) {
        String from = Text.blank(in.getFrom()) ? defaultFrom : in.getFrom();
        if (Text.blank(from)) {
            errors.add(new ValidationError("from", ErrorCode.REQUIRED,
                    "from is required (no default sender is configured)"));
        } else {
            Mailbox m = mailbox("from", from, errors);
            out.setFrom(m == null ? null : m.toString());
        }
        recipients(in, out, errors);
        List<String> replyTo = new ArrayList<>();
        if (in.getReplyTo().size() > maxReplyTo) {
            errors.add(new ValidationError("replyTo", ErrorCode.TOO_MANY_REPLY_TO,
                    "at most " + maxReplyTo + " replyTo mailboxes; got " + in.getReplyTo().size()));
            out.setReplyTo(replyTo);
            return;
        }
        for (int i = 0; i < in.getReplyTo().size(); i++) {
            Mailbox m = mailbox("replyTo[" + i + "]", in.getReplyTo().get(i), errors);
            if (m != null) {
                replyTo.add(m.toString());
            }
        }
        out.setReplyTo(replyTo);
    }

    private void recipients(SendRequest in, SendRequest out, List<ValidationError> errors) {
        Set<String> seen = new HashSet<>();
        out.setTo(distinct("to", in.getTo(), seen, errors));
        out.setCc(distinct("cc", in.getCc(), seen, errors));
        out.setBcc(distinct("bcc", in.getBcc(), seen, errors));
        if (in.getTo().isEmpty() && in.getCc().isEmpty() && in.getBcc().isEmpty()) {
            errors.add(new ValidationError("to", ErrorCode.NO_RECIPIENTS,
                    "at least one recipient is required in to, cc or bcc"));
        } else if (seen.size() > maxRecipients) {
            errors.add(new ValidationError("to", ErrorCode.TOO_MANY_RECIPIENTS, "at most " + maxRecipients
                    + " distinct recipients across to, cc and bcc; got " + seen.size()));
        }
    }

    /** The valid mailboxes of {@code raw} whose address (ignoring case) is not yet in {@code seen}. */
    private List<String> distinct(String kind, List<String> raw, Set<String> seen, List<ValidationError> errors) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Mailbox m = mailbox(kind + "[" + i + "]", raw.get(i), errors);
            if (m != null && seen.add(m.address().toLowerCase(Locale.ROOT))) {
                kept.add(m.toString());
            }
        }
        return kept;
    }

    /** The canonical mailbox (IDN domain in ASCII), or null after recording why it is not one. */
    private Mailbox mailbox(String field, String raw, List<ValidationError> errors) {
        if (raw == null) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_ADDRESS, "an address must not be null"));
            return null;
        }
        if (!HeaderSafety.clean(field, raw, errors)) {
            return null;
        }
        Mailbox m = Mailbox.parse(raw);
        if (m.displayName() != null && m.displayName().length() > MAX_DISPLAY_NAME_LENGTH) {
            errors.add(new ValidationError(field, ErrorCode.DISPLAY_NAME_TOO_LONG,
                    "display name is longer than " + MAX_DISPLAY_NAME_LENGTH + " characters"));
            return null;
        }
        String address = m.address();
        if (address.length() > MAX_ADDRESS_LENGTH) {
            errors.add(new ValidationError(field, ErrorCode.ADDRESS_TOO_LONG,
                    "address is longer than " + MAX_ADDRESS_LENGTH + " characters"));
            return null;
        }
        EmailValidationResult result = ADDRESSES.validate(address);
        if (result.isFailure() || result.getEmail().isEmpty()) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_ADDRESS, "not a valid address ("
                    + result.getFailureReason().toString().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"));
            return null;
        }
        String local = result.getEmail().get().localPart();
        if (!allowQuotedLocalParts && needsQuotes(local)) {
            errors.add(new ValidationError(field, ErrorCode.QUOTED_LOCAL_PART, "a quoted local part holding spaces "
                    + "or specials such as < > @ , is not accepted (mailbus.limits.allow-quoted-local-parts)"));
            return null;
        }
        if (!smtpUtf8 && !Text.isAscii(local)) {
            errors.add(new ValidationError(field, ErrorCode.NON_ASCII_LOCAL_PART,
                    "a non-ASCII local part needs SMTPUTF8, which is not enabled"));
            return null;
        }
        String domain;
        try {
            domain = IDN.toASCII(result.getEmail().get().domain(), IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_ADDRESS, "not a valid internationalised domain"));
            return null;
        }
        String canonical = local + "@" + domain;
        if (canonical.length() > MAX_ADDRESS_LENGTH) {
            errors.add(new ValidationError(field, ErrorCode.ADDRESS_TOO_LONG,
                    "address is longer than " + MAX_ADDRESS_LENGTH + " characters in its ASCII form"));
            return null;
        }
        return new Mailbox(m.displayName(), canonical);
    }

    /** A quoted local part whose content is not a dot-atom, so that the quotes are what holds it together. */
    private static boolean needsQuotes(String local) {
        if (local.length() < 2 || local.charAt(0) != '"') {
            return false;
        }
        String inner = local.substring(1, local.length() - 1);
        return inner.isEmpty() || !HeaderSafety.isDotAtom(inner);
    }
}
