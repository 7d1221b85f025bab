package io.mailbus.smtppool;

import java.util.Arrays;
import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * A message the server took, for all or some recipients. Angus reports "some recipients refused" by throwing
 * after the message was sent; this turns that back into a result, since the message did go out.
 *
 * @param accepted the recipients the server accepted
 * @param refused  the recipients it refused, with their replies
 * @param reply    the server's answer to the end of DATA
 */
record Delivered(List<String> accepted, List<RecipientFailure> refused, String reply) {

    static Delivered send(SmtpConnection c, OutgoingMessage m) throws SmtpDeliveryException {
        TrackingSmtpTransport t = c.transport();
        try {
            t.sendMessage(m.toMimeMessage(t.session()), m.recipients());
            c.countMessage();
            return new Delivered(addresses(m.recipients()), List.of(), EnhancedStatusCode.clean(t.getLastServerResponse()));
        } catch (SMTPSendFailedException e) {
            if (e.getReturnCode() / 100 == 2) {
                c.countMessage();
                return new Delivered(addresses(e.getValidSentAddresses()), SmtpFailures.recipientFailures(e),
                                     EnhancedStatusCode.clean(e.getMessage()));
            }
            throw SmtpFailures.map(e, t);
        } catch (MessagingException | RuntimeException e) {
            throw SmtpFailures.map(e, t);
        }
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of()
                : Arrays.stream(addresses).map(a -> ((InternetAddress) a).getAddress()).toList();
    }
}
