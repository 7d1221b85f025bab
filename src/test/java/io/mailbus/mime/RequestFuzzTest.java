package io.mailbus.mime;

import io.mailbus.fuzz.HostileJson;
import io.mailbus.fuzz.RenderedMail;
import io.mailbus.request.InvalidSendRequestException;
import io.mailbus.request.SendRequest;
import io.mailbus.request.SendRequestValidator;
import io.mailbus.smtppool.SmtpPoolConstants;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever JSON a producer sends ({@link HostileJson}: CR/LF, NUL, U+2028, lone surrogates, duplicate keys,
 * wrong types, nesting thousands deep, megabyte strings, mutated text), the validator either refuses it with an
 * {@link InvalidSendRequestException} of documented codes whose fields and messages hold no raw control character,
 * or the request it accepts renders to MIME whose header section holds only the headers the builder writes and the
 * request's own custom headers, whose To and Cc are the request's, and whose envelope is exactly the request's
 * recipients. No other exception, ever.
 */
class RequestFuzzTest {

    private static final String CONTROL = "[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]";

    private final CamelContext camel = new DefaultCamelContext();
    private final SendRequestValidator validator = new SendRequestValidator(100);
    private final MimeDataFormat mime = new MimeDataFormat();

    @Provide
    Arbitrary<String> hostileRequests() {
        return Arbitraries.randomValue(HostileJson::request);
    }

    @Property(tries = 3000, seed = "20261201")
    void aRequestIsRefusedWithDocumentedCodesOrRendersWithoutInjection(@ForAll("hostileRequests") String json,
                                                                      @ForAll boolean asBytes) throws Exception {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(asBytes ? json.getBytes(StandardCharsets.UTF_8) : json);
        try {
            validator.process(e);
        } catch (InvalidSendRequestException refused) {
            assertThat(refused.getErrors()).isNotEmpty().allSatisfy(err -> {
                assertThat(RenderedMail.CODES).contains(err.code());
                assertThat(err.field() + err.message()).doesNotContainPattern(CONTROL);
            });
            assertThat(refused.getMessage()).doesNotContainPattern(CONTROL);
            outcome("refused");
            return;
        }
        SendRequest r = e.getMessage().getBody(SendRequest.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mime.marshal(e, r, out);
        byte[] bytes = out.toByteArray();

        outcome(r.getHeaders().isEmpty() ? "accepted" : "accepted with custom headers");
        Wire.assertSafeLines(bytes);
        List<String> envelope = RenderedMail.assertRendersOnly(bytes, r);
        List<?> envelopeTo = e.getMessage().getHeader(SmtpPoolConstants.ENVELOPE_TO, List.class);
        assertThat(envelopeTo.stream().map(a -> a.toString().toLowerCase(Locale.ROOT)).toList())
                .isEqualTo(envelope).doesNotHaveDuplicates();
    }

    /** Counts outcomes, and fails the property when too few requests get through to the MIME step to test it. */
    private static void outcome(String what) {
        Statistics.label("outcome").collect(what);
        Statistics.label("outcome").coverage(c -> {
            c.check("accepted").percentage(p -> p >= 5);
            c.check("accepted with custom headers").percentage(p -> p >= 1);
        });
    }
}
