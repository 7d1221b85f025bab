package io.mailbus.request;

import java.util.Objects;

/**
 * One mailbox of a send request, {@code addr@example.com} or {@code Display Name <addr@example.com>}, split
 * into its display name and addr-spec. Parsing is deliberately narrow (one mailbox, no groups, no comments):
 * the MIME step renders the parts again through Angus Mail, so nothing of the raw text reaches a header.
 *
 * @param displayName the name without quotes, or {@code null}
 * @param address the addr-spec, never {@code null}
 */
public record Mailbox(String displayName, String address) {

    private static final String SPECIALS = "()<>[]:;@\\,.\"";

    public Mailbox {
        Objects.requireNonNull(address, "address");
    }

    /** Splits a trimmed mailbox string; says nothing about validity (see {@link SendRequestValidator}). */
    public static Mailbox parse(String raw) {
        String s = raw.trim();
        if (!s.endsWith(">")) {
            return new Mailbox(null, s);
        }
        int lt = s.lastIndexOf('<');
        if (lt < 0) {
            return new Mailbox(null, s);
        }
        String address = s.substring(lt + 1, s.length() - 1).trim();
        String name = unquote(s.substring(0, lt).trim());
        return new Mailbox(name.isEmpty() ? null : name, address);
    }

    private static String unquote(String name) {
        if (name.length() < 2 || name.charAt(0) != '"' || name.charAt(name.length() - 1) != '"') {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 1; i < name.length() - 1; i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 1 < name.length() - 1) {
                c = name.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString().trim();
    }

    /** The canonical text form, which {@link #parse} reads back to an equal mailbox. */
    @Override
    public String toString() {
        if (displayName == null) {
            return address;
        }
        return quoteIfNeeded(displayName) + " <" + address + ">";
    }

    private static String quoteIfNeeded(String name) {
        boolean needs = false;
        for (int i = 0; i < name.length() && !needs; i++) {
            needs = SPECIALS.indexOf(name.charAt(i)) >= 0;
        }
        if (!needs) {
            return name;
        }
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
