package io.mailbus.smtppool;

/** One server answer and the command it answered; code 0 means there was no answer. */
record SmtpReply(String command, int code, String enhancedCode, String text) {

    static SmtpReply of(String command, int code, String rawText) {
        int c = Math.max(code, 0);
        return new SmtpReply(command, c, c == 0 ? null : EnhancedStatusCode.parse(rawText),
                             c == 0 ? null : EnhancedStatusCode.clean(rawText));
    }

    static SmtpReply none(String command) {
        return new SmtpReply(command, 0, null, null);
    }
}
