package io.mailbus.it;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins that the DKIM settings of config/application.properties reach the MIME step: mail from the signing
 * domain arrives signed with that domain and selector, mail from another domain does not.
 */
class DkimIT extends MailbusTestSupport {

    @Override
    protected void overrides(Properties p) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                         + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                         + "\n-----END PRIVATE KEY-----\n";
            p.put("mailbus.dkim.domain", "signed.example");
            p.put("mailbus.dkim.selector", "mb2026");
            p.put("mailbus.dkim.private-key", pem);
            p.put("mailbus.kafka.enabled", "false");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldSignMailFromTheConfiguredDomainOnly() throws Exception {
        String signed = "dkim " + UUID.randomUUID();
        String unsigned = "no dkim " + UUID.randomUUID();
        assertThat(post("""
                {"from": "news@signed.example", "to": ["d@example.com"], "subject": "%s", "text": "signed"}
                """.formatted(signed), API_KEY).statusCode()).isEqualTo(202);
        assertThat(post("""
                {"from": "news@other.example", "to": ["d@example.com"], "subject": "%s", "text": "not signed"}
                """.formatted(unsigned), API_KEY).statusCode()).isEqualTo(202);

        MimeMessage mail = Mailboxes.awaitSubject(greenMail(), signed, 1).get(0);
        String[] signature = mail.getHeader("DKIM-Signature");
        assertThat(signature).hasSize(1);
        assertThat(signature[0].replaceAll("\\s", "")).contains("a=rsa-sha256", "d=signed.example", "s=mb2026");
        assertThat(Mailboxes.awaitSubject(greenMail(), unsigned, 1).get(0).getHeader("DKIM-Signature")).isNull();
    }
}
