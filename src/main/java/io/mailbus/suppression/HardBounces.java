package io.mailbus.suppression;

import java.util.Set;

/**
 * The refusals that say an address will never take mail (RFC 3463): 5.1.1 bad mailbox, 5.1.2 bad domain, 5.1.3 bad
 * address syntax, 5.1.6 mailbox moved, 5.1.10 null MX (RFC 7505), 5.2.1 mailbox disabled. Policy and content refusals
 * (5.7.x), a full mailbox (5.2.2) or a refusal without an enhanced code do not suppress: the next message may pass.
 */
public final class HardBounces {

    private static final Set<String> PERMANENT = Set.of("5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10", "5.2.1");

    private HardBounces() {
    }

    public static boolean isHard(String enhancedCode) {
        return enhancedCode != null && PERMANENT.contains(enhancedCode.trim());
    }
}
