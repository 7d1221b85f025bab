package io.mailbus.mime;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.mailbus.it.MailbusTestSupport;
import io.mailbus.it.TenantFiles;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant's DKIM keys, one per domain, through the whole application: mail of each of its two domains arrives at
 * GreenMail signed with that domain's selector and key (one from a key file, one inline), and the signature of
 * the bytes received verifies with that domain's public key and not with the other's.
 */
class TenantDkimIT extends MailbusTestSupport {

    private static final String KEY = "dkim-tenant-key-" + UUID.randomUUID();
    private static KeyPair one;
    private static KeyPair two;

    @Override
    protected void overrides(Properties p) {
        try {
            one = DkimSigningTest.pair("RSA");
            two = DkimSigningTest.pair("RSA");
            Path folder = Files.createTempDirectory("tenant-dkim-it");
            Files.writeString(folder.resolve("one.pem"), DkimSigningTest.pem(one));
            Path file = folder.resolve("tenants.yaml");
            String inline = DkimSigningTest.pem(two).replace("\n", "\n          ");
            TenantFiles.write(file, "tenants:\n"
                    + "  multi:\n" + TenantFiles.keys(KEY)
                    + "    senderDomains: [one.example, two.example]\n"
                    + "    dkim:\n"
                    + "      - { domain: one.example, selector: s1, privateKeyFile: one.pem }\n"
                    + "      - domain: two.example\n"
                    + "        selector: s2\n"
                    + "        privateKey: |\n          " + inline.stripTrailing() + "\n");
            p.put("mailbus.tenants.file", file.toString());
            p.put("mailbus.kafka.enabled", "false");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldSignEachDomainOfTheTenantWithItsOwnKey() throws Exception {
        Map<String, KeyPair> keys = Map.of("one.example", one, "two.example", two);
        Map<String, String> selectors = Map.of("one.example", "s1", "two.example", "s2");
        for (String domain : keys.keySet()) {
            String subject = "tenant dkim " + domain + " " + UUID.randomUUID();
            assertThat(post("""
                    {"from": "news@%s", "to": ["d@example.com"], "subject": "%s", "text": "signed by the tenant"}
                    """.formatted(domain, subject), KEY).statusCode()).isEqualTo(202);

            MimeMessage mail = await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(
                    greenMail().getReceivedMessages()).filter(m -> subject.equals(subjectOf(m))).findFirst().orElse(null),
                    m -> m != null);
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            mail.writeTo(wire);
            byte[] bytes = wire.toByteArray();

            Map<String, String> tags = DkimSigningTest.DkimVerifier.tags(bytes);
            assertThat(tags).containsEntry("d", domain).containsEntry("s", selectors.get(domain));
            assertThat(DkimSigningTest.DkimVerifier.verify(bytes, keys.get(domain).getPublic())).as(domain).isTrue();
            KeyPair other = domain.equals("one.example") ? two : one;
            assertThat(DkimSigningTest.DkimVerifier.verify(bytes, other.getPublic())).as(domain).isFalse();
        }
    }

    private static String subjectOf(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            return null;
        }
    }
}
