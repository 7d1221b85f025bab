package io.mailbus.smtppool;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Turns what Angus Mail throws into the {@link SmtpDeliveryException} hierarchy, keeping the server's reply
 * exactly. Angus spreads it over exception types, chained per-recipient exceptions and the transport's last reply.
 */
final class SmtpFailures {

    private SmtpFailures() {
    }

    static SmtpDeliveryException map(Exception e, TrackingSmtpTransport t) {
        if (e instanceof SmtpDeliveryException sde) {
            return sde;
        }
        String step = t.step();
        if (e instanceof AuthenticationFailedException) {
            return new SmtpAuthenticationException(lastReply("AUTH", t), e);
        }
        if (isTlsFailure(e)) {
            String command = "CONNECT".equals(step) ? "CONNECT" : "STARTTLS";
            return new SmtpTlsException("TLS could not be established as configured", lastReplyIfError(command, t), e);
        }
        if (e instanceof SMTPSendFailedException sfe && sfe.getReturnCode() > 0) {
            SmtpReply reply = SmtpReply.of(commandName(sfe.getCommand(), step), sfe.getReturnCode(), sfe.getMessage());
            return byCode("Server refused " + reply.command(), reply, recipientFailures(sfe), e);
        }
        if (e instanceof SendFailedException sf && !(e instanceof SMTPSendFailedException)) {
            List<RecipientFailure> failures = recipientFailures(sf);
            if (!failures.isEmpty()) {
                RecipientFailure last = failures.get(failures.size() - 1);
                return new SmtpRecipientsRejectedException(
                        new SmtpReply("RCPT TO", last.code(), last.enhancedCode(), last.text()), failures, e);
            }
        }
        if (hasCause(e, IOException.class) || e instanceof IllegalStateException || e instanceof SMTPSendFailedException) {
            SmtpReply said = t.firstError();
            if (said != null) {
                return byCode("Server refused " + said.command() + " and closed the connection", said, List.of(), e);
            }
            return new SmtpTransientException("Connection to the SMTP server failed", SmtpReply.none(step), null, e);
        }
        SmtpReply reply = lastReplyIfError(step, t);
        if (reply.code() > 0) {
            return byCode("Server refused " + step, reply, List.of(), e);
        }
        return new SmtpPermanentException("SMTP protocol failure: " + e.getMessage(), reply, List.of(), e);
    }

    static SmtpDeliveryException byCode(String message, SmtpReply reply, List<RecipientFailure> failures, Exception e) {
        return reply.code() >= 500 ? new SmtpPermanentException(message, reply, failures, e)
                : new SmtpTransientException(message, reply, failures, e);
    }

    /** The per-recipient refusals Angus chains behind a send failure, in RCPT TO order. */
    static List<RecipientFailure> recipientFailures(MessagingException e) {
        List<RecipientFailure> out = new ArrayList<>();
        Exception next = e.getNextException();
        int guard = 0;
        while (next instanceof MessagingException me && guard++ < 10_000) {
            if (me instanceof SMTPAddressFailedException af) {
                out.add(new RecipientFailure(af.getAddress().getAddress(), af.getReturnCode(),
                                             EnhancedStatusCode.parse(af.getMessage()),
                                             EnhancedStatusCode.clean(af.getMessage())));
            }
            next = me.getNextException();
        }
        return out;
    }

    private static String commandName(String raw, String step) {
        if (raw == null) {
            return step;
        }
        String c = raw.toUpperCase(Locale.ROOT);
        if (c.startsWith("MAIL")) {
            return "MAIL FROM";
        }
        if (c.startsWith("RCPT")) {
            return "RCPT TO";
        }
        if (c.equals(".") || c.startsWith("DATA") || c.startsWith("BDAT")) {
            return "DATA";
        }
        return step;
    }

    private static SmtpReply lastReply(String command, TrackingSmtpTransport t) {
        return SmtpReply.of(command, t.getLastReturnCode(), t.getLastServerResponse());
    }

    /** The transport's last reply only if it was an error; a stale 250 says nothing about this failure. */
    private static SmtpReply lastReplyIfError(String command, TrackingSmtpTransport t) {
        return t.getLastReturnCode() >= 400 ? lastReply(command, t) : SmtpReply.none(command);
    }

    private static boolean isTlsFailure(Exception e) {
        if (hasCause(e, SSLException.class) || hasCause(e, CertificateException.class)) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("STARTTLS is required") || m.contains("verify identity of server"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        int guard = 0;
        for (Throwable c = e; c != null && guard++ < 50; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
