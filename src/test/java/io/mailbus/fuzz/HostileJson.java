package io.mailbus.fuzz;

import java.util.List;
import java.util.Random;

/**
 * Send requests as a hostile or careless producer writes them, as JSON text from a seeded {@link Random}: mostly
 * well-formed requests whose values carry CR/LF, NUL, U+2028, lone surrogates, look-alike headers and addresses,
 * trust headers, wrong types, unknown and duplicate keys; then the same text mutated (cut, spliced, bytes inserted),
 * nesting thousands deep, and now and then a string of a megabyte. The same generator feeds the unit property test
 * ({@code RequestFuzzTest}, through jqwik) and the end-to-end test ({@code FuzzedIngressIT}), so a shape found by one
 * is replayed by the other. Sizes are bounded: the largest text is about 1.1 MB.
 */
public final class HostileJson {

    /** Fragments that have broken a mail system somewhere, raw (the JSON encoding is chosen later). */
    static final List<String> PIECES = List.of(
            "\r\n", "\n", "\r", "\u0000", "\u2028", "\u2029", "\u0085", "\u007f", "\t", "\u000b", "\u001b[31m",
            "\ud800", "\udc00", "\ud83d\ude00", "\ufeff", "\uffff", "ü", "漢字", " ", ":", ";", ",", "<", ">", "\"",
            "\\", "@", ".", "=?UTF-8?B?eA0KQmNjOiBldmlsQGF0dGFja2VyLmV4YW1wbGU=?=", "\r\nBcc: evil@attacker.example",
            "\nX-Injected: yes", "\r\n\r\nforged body", "\r\n.\r\nMAIL FROM:<evil@attacker.example>\r\n",
            "Bcc: evil@attacker.example", "evil@attacker.example", ", other@attacker.example",
            "\"john doe\"@example.com", "\"a>b\"@example.com", "a@[127.0.0.1]", "(comment)a@example.com",
            "@route:a@example.com", "a@xn--mnchen-3ya.de", "a@münchen.de", "ünï@example.com", "x".repeat(300));

    private static final List<String> MAILBOXES = List.of(
            "a@example.com", "B@Example.COM", "Name <n@example.com>", "\"Doe, John\" <j@example.com>",
            "b@example.org", "c@sub.example.net", "a@example.com", "Ünïcødé Näme <u@example.com>");

    private static final List<String> HEADER_NAMES = List.of(
            "X-Campaign", "X-Trace", "List-Unsubscribe", "In-Reply-To", "References", "X-Spam-Status",
            "X-MS-Exchange-Organization-SCL", "X-Mailbus-Ingress", "Authentication-Results", "Bcc", "To",
            "Content-Type", "x-campaign", "X Bad", "X:Bad", "");

    private static final List<String> GOOD_HEADER_NAMES = List.of("X-Campaign", "X-Trace", "List-Unsubscribe",
            "X-Order-Id");

    private static final List<String> FIELDS = List.of(
            "id", "from", "to", "cc", "bcc", "replyTo", "subject", "text", "html", "attachments", "headers", "tags",
            "metadata", "server");

    private final Random random;
    private final StringBuilder out = new StringBuilder();
    /** One in this many values (fields, types, keys) is made hostile; gentle requests mostly get through. */
    private int odds = 2;

    private HostileJson(Random random) {
        this.random = random;
    }

    /** One request's JSON text, a function of {@code random}'s state alone. */
    public static String request(Random random) {
        HostileJson g = new HostileJson(random);
        int mode = random.nextInt(100);
        if (mode < 60) {
            g.odds = mode < 35 ? 12 : 2;
            g.object();
            return g.out.toString();
        }
        if (mode < 88) {
            g.object();
            return g.mutate(g.out.toString());
        }
        if (mode < 96) {
            return g.deep();
        }
        return g.huge();
    }

    private void object() {
        out.append('{');
        int n = random.nextInt(6) + 1;
        boolean first = true;
        java.util.Set<String> used = new java.util.HashSet<>();
        // the usual spine first, so that a good share of the requests gets past the validator
        for (String f : List.of("from", "to", "subject", "text")) {
            if (!hostile() || random.nextBoolean()) {
                first = comma(first);
                used.add(f);
                field(f);
            }
        }
        for (int i = 0; i < n; i++) {
            String f = hostile() && random.nextInt(3) == 0 ? pick(PIECES) + "cc " : pick(FIELDS);
            if (used.add(f) || hostile()) {
                // a field named twice is a duplicate key, which the reader refuses as invalid_json
                first = comma(first);
                field(f);
            }
        }
        out.append('}');
    }

    private boolean comma(boolean first) {
        if (!first) {
            out.append(',');
        }
        return false;
    }

    private void field(String name) {
        string(name, false);
        out.append(':');
        if (hostile() && random.nextInt(5) == 0) {
            wrongType();
            return;
        }
        switch (name) {
            case "from" -> string(mailbox(), true);
            case "to", "cc", "bcc", "replyTo" -> {
                if (random.nextBoolean()) {
                    string(mailbox(), true);
                } else {
                    out.append('[');
                    int k = random.nextInt(4);
                    for (int i = 0; i < k; i++) {
                        out.append(i == 0 ? "" : ",");
                        string(mailbox(), true);
                    }
                    out.append(']');
                }
            }
            case "headers" -> {
                out.append('{');
                int k = random.nextInt(4);
                for (int i = 0; i < k; i++) {
                    out.append(i == 0 ? "" : ",");
                    string(hostile() ? text(pick(HEADER_NAMES)) : pick(GOOD_HEADER_NAMES), true);
                    out.append(':');
                    string(text("v"), true);
                }
                out.append('}');
            }
            case "attachments" -> {
                out.append('[');
                int k = random.nextInt(3);
                for (int i = 0; i < k; i++) {
                    out.append(i == 0 ? "" : ",").append("{\"filename\":");
                    string(text("a.txt"), true);
                    out.append(",\"contentType\":");
                    string(random.nextBoolean() ? "text/plain" : text("application/pdf"), true);
                    out.append(",\"data\":");
                    string(hostile() ? text("AA==") : "SGVsbG8=", true);
                    if (random.nextInt(3) == 0) {
                        out.append(",\"contentId\":");
                        string(text("cid1"), true);
                    }
                    out.append('}');
                }
                out.append(']');
            }
            case "tags" -> {
                out.append('[');
                string(text("tag"), true);
                out.append(']');
            }
            case "metadata" -> {
                out.append("{\"k\":");
                string(text("v"), true);
                out.append(",\"n\":[1,2.5,true,null,{\"x\":\"y\"}]}");
            }
            case "id" -> string(text("fuzz-" + Long.toHexString(random.nextLong())), true);
            default -> string(text("plain text"), true);
        }
    }

    private void wrongType() {
        switch (random.nextInt(6)) {
            case 0 -> out.append(random.nextInt());
            case 1 -> out.append("true");
            case 2 -> out.append("null");
            case 3 -> out.append("[1,{\"a\":[]}]");
            case 4 -> out.append("{\"x\":1}");
            default -> out.append("1e400");
        }
    }

    private String mailbox() {
        String m = pick(MAILBOXES);
        return hostile() ? text(m) : m;
    }

    /** {@code base} with zero to three hostile pieces spliced in at random places. */
    private String text(String base) {
        StringBuilder sb = new StringBuilder(base);
        int k = hostile() ? random.nextInt(3) + 1 : 0;
        for (int i = 0; i < k; i++) {
            sb.insert(random.nextInt(sb.length() + 1), pick(PIECES));
        }
        return sb.toString();
    }

    /** {@code s} as a JSON string: escaped as JSON wants, or (rarely, when {@code mayBeRaw}) with raw controls. */
    private void string(String s, boolean mayBeRaw) {
        boolean raw = mayBeRaw && hostile() && random.nextInt(5) == 0;
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (!raw && (c < 0x20 || Character.isSurrogate(c) && random.nextBoolean()
                    || c == 0x2028 || c == 0x2029)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private String mutate(String json) {
        StringBuilder sb = new StringBuilder(json);
        int k = random.nextInt(3) + 1;
        for (int i = 0; i < k && sb.length() > 0; i++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(6)) {
                case 0 -> sb.insert(at, pick(PIECES));
                case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(8)));
                case 2 -> sb.setLength(at);
                case 3 -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + random.nextInt(40))));
                case 4 -> sb.insert(at, ",\"to\":\"dup@example.com\"");
                default -> sb.setCharAt(at, "{}[]\",:\\".charAt(random.nextInt(8)));
            }
        }
        return sb.toString();
    }

    private String deep() {
        int depth = 200 + random.nextInt(5000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String where = random.nextBoolean() ? "metadata" : pick(FIELDS);
        return "{\"from\":\"a@example.com\",\"to\":\"b@example.com\",\"subject\":\"s\",\"text\":\"t\",\"" + where
                + "\":" + open.repeat(depth) + "1" + close.repeat(random.nextInt(4) == 0 ? depth / 2 : depth) + "}";
    }

    private String huge() {
        String where = pick(List.of("subject", "text", "html", "id", "from", "server"));
        String big = random.nextBoolean() ? "x".repeat(1 << 20) : "\\r\\n".repeat(1 << 18);
        String headers = random.nextBoolean() ? "" : ",\"headers\":{\"X-Big\":\"" + big + "\"}";
        StringBuilder sb = new StringBuilder("{\"to\":\"b@example.com\"");
        for (String f : List.of("from", "subject", "text")) {
            if (!f.equals(where)) {
                sb.append(",\"").append(f).append("\":\"").append(f.equals("from") ? "a@example.com" : "s").append('"');
            }
        }
        return sb.append(",\"").append(where).append("\":\"").append(big).append('"').append(headers).append('}')
                .toString();
    }

    private boolean hostile() {
        return random.nextInt(odds) == 0;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
