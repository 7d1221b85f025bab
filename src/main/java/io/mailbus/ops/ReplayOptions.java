package io.mailbus.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@link Replay} was asked to move: the command line, checked. Filters of one kind are alternatives
 * ({@code --code 550 --code 551}); filters of different kinds must all hold. The SMTP filters become a JMS
 * selector on the {@code Mailbus*} properties the outcomes carry; request ids are matched per message, on the
 * {@code MailbusRequestId} property where a message has one, else on the {@code id} of its JSON body.
 */
record ReplayOptions(String from, String to, List<String> ids, List<String> codes, List<String> enhancedCodes,
                     String selector, boolean all, boolean dryRun, int limit) {

    static final String USAGE = """
            usage: Replay --from QUEUE [--to QUEUE] (--all | FILTER...) [--dry-run] [--limit N]
              --from QUEUE          the dead-letter queue to take requests from: email.dlq or email.rejected
              --to QUEUE            where they go back for a fresh first attempt (default email.send)
              --all                 every request on --from
              --id ID               a request id (repeatable)
              --code NNN            an SMTP reply code, MailbusSmtpCode (repeatable)
              --enhanced-code X.Y.Z an enhanced status code, MailbusEnhancedCode (repeatable)
              --selector "..."      a JMS selector on the messages' properties, e.g. "MailbusIngress = 'kafka'"
              --dry-run             list what would move; move nothing
              --limit N             move at most N requests
            Settings: mailbus.jms.url, mailbus.jms.username, mailbus.jms.password from config/application.properties
            (or the file MAILBUS_CONFIG names), each overridable by MAILBUS_JMS_URL, MAILBUS_JMS_USERNAME, MAILBUS_JMS_PASSWORD.
            """;

    private static final Pattern SMTP_CODE = Pattern.compile("[2-5][0-9][0-9]");
    private static final Pattern ENHANCED_CODE = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9._:-]+");

    static ReplayOptions parse(String... args) {
        String from = null;
        String to = "email.send";
        List<String> ids = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        List<String> enhanced = new ArrayList<>();
        String selector = null;
        boolean all = false;
        boolean dryRun = false;
        int limit = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--all" -> all = true;
                case "--dry-run" -> dryRun = true;
                case "--from" -> from = queue(arg, value(args, ++i, arg));
                case "--to" -> to = queue(arg, value(args, ++i, arg));
                case "--id" -> ids.add(value(args, ++i, arg));
                case "--code" -> codes.add(matching(arg, value(args, ++i, arg), SMTP_CODE, "a three-digit SMTP reply code"));
                case "--enhanced-code" -> enhanced.add(matching(arg, value(args, ++i, arg), ENHANCED_CODE,
                        "an enhanced status code such as 5.1.1"));
                case "--selector" -> selector = value(args, ++i, arg);
                case "--limit" -> limit = positive(arg, value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (from == null) {
            throw new IllegalArgumentException("--from is required");
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("--from and --to name the same queue: " + from);
        }
        boolean filtered = !ids.isEmpty() || !codes.isEmpty() || !enhanced.isEmpty() || selector != null;
        if (all == filtered) {
            throw new IllegalArgumentException(all ? "--all moves everything: give it no filter"
                    : "say what to replay: --id, --code, --enhanced-code, --selector, or --all for everything");
        }
        return new ReplayOptions(from, to, List.copyOf(ids), List.copyOf(codes), List.copyOf(enhanced), selector, all,
                dryRun, limit);
    }

    /** The JMS selector for the property filters, or null when every message on the queue is a candidate. */
    String jmsSelector() {
        List<String> terms = new ArrayList<>();
        if (!codes.isEmpty()) {
            // an int property in the outcomes Mailbus writes; a string one in anything else that wrote it
            List<String> any = new ArrayList<>();
            codes.forEach(c -> {
                any.add("MailbusSmtpCode = " + c);
                any.add("MailbusSmtpCode = '" + c + "'");
            });
            terms.add("(" + String.join(" OR ", any) + ")");
        }
        if (!enhancedCodes.isEmpty()) {
            terms.add("MailbusEnhancedCode IN (" + String.join(", ", enhancedCodes.stream().map(c -> "'" + c + "'").toList()) + ")");
        }
        if (selector != null) {
            terms.add("(" + selector + ")");
        }
        return terms.isEmpty() ? null : String.join(" AND ", terms);
    }

    /** Whether a message whose request id is {@code requestId} (null when it has none) is asked for. */
    boolean wantsId(String requestId) {
        return ids.isEmpty() || requestId != null && ids.contains(requestId);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String queue(String option, String name) {
        return matching(option, name, QUEUE, "a queue name");
    }

    private static String matching(String option, String value, Pattern pattern, String what) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(option + " needs " + what + ", not '" + value + "'");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a positive number, not '" + value + "'");
    }
}
