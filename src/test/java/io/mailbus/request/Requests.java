package io.mailbus.request;

import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The requests the rule tests start from and change one field of, and the one assertion they share: a valid case
 * yields no error, an invalid one exactly one error with the expected field and code, so no rule leaks into another.
 */
final class Requests {

    static final int MB25 = 25 * 1024 * 1024;

    private Requests() {
    }

    static SendRequest valid() {
        SendRequest r = new SendRequest();
        r.setFrom("sender@example.com");
        r.setTo(new ArrayList<>(List.of("to@example.com")));
        r.setSubject("Hello");
        r.setText("body");
        return r;
    }

    /** {@link #valid()} changed by {@code change}. */
    static SendRequest changed(Consumer<SendRequest> change) {
        SendRequest r = valid();
        change.accept(r);
        return r;
    }

    static Arguments ok(String rule, Consumer<SendRequest> change) {
        return arguments(rule, change, null, null);
    }

    static Arguments bad(String rule, Consumer<SendRequest> change, String field, String code) {
        return arguments(rule, change, field, code);
    }

    /** The errors {@code rule} finds in {@link #valid()} changed by {@code change}. */
    static List<ValidationError> errors(Rule rule, Consumer<SendRequest> change) {
        List<ValidationError> errors = new ArrayList<>();
        rule.check(changed(change), new SendRequest(), errors);
        return errors;
    }

    /** No error when {@code code} is null, else exactly the one error {@code field}/{@code code}. */
    static void assertOnly(List<ValidationError> errors, String field, String code) {
        if (code == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).extracting(ValidationError::field, ValidationError::code)
                    .containsExactly(tuple(field, code));
        }
    }

    static Attachment attachment(String data) {
        Attachment a = new Attachment();
        a.setFilename("file.bin");
        a.setContentType("application/octet-stream");
        a.setData(data);
        return a;
    }

    static Attachment with(Attachment a, Consumer<Attachment> change) {
        change.accept(a);
        return a;
    }

    static String base64OfSize(int bytes) {
        return Base64.getEncoder().encodeToString(new byte[bytes]);
    }

    /** An address of exactly {@code length} characters with a 64-character local part. */
    static String address(int length) {
        StringBuilder domain = new StringBuilder();
        int remaining = length - 65 - 4;
        while (remaining > 0) {
            int label = Math.min(remaining, 62);
            if (remaining - label == 1) {
                label--;
            }
            domain.append("d".repeat(label));
            remaining -= label;
            if (remaining > 0) {
                domain.append('.');
                remaining--;
            }
        }
        return "a".repeat(64) + "@" + domain + ".com";
    }

    static List<String> recipients(int n) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add("r" + i + "@example.com");
        }
        return list;
    }

    static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
