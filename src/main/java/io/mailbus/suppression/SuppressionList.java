package io.mailbus.suppression;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

/**
 * Each tenant's addresses that must not be mailed: added when a recipient bounced for good ({@link HardBounces}),
 * removed by an operator. Addresses compare case-insensitively. Scope: the tenant id, {@code ""} without tenants.
 */
public interface SuppressionList {

    /**
     * One suppressed address.
     *
     * @param address      the address, lower-cased
     * @param reason       why: {@code hard_bounce}
     * @param smtpCode     the reply that put it here
     * @param enhancedCode its RFC 3463 code
     * @param text         the reply's text
     * @param requestId    the request that bounced
     * @param createdAt    when it was added (ISO-8601)
     */
    record Entry(String address, String reason, Integer smtpCode, String enhancedCode, String text, String requestId,
                 String createdAt) {
    }

    /** Adds the address unless it is there (the first bounce is kept). */
    void add(String scope, Entry entry);

    /** Which of {@code addresses} are suppressed, lower-cased. */
    Set<String> suppressed(String scope, Collection<String> addresses);

    Optional<Entry> get(String scope, String address);

    /** True when it was there. */
    boolean remove(String scope, String address);

    /** Up to {@code limit} entries in address order, after {@code after} (exclusive; null from the start). */
    List<Entry> list(String scope, String after, int limit);

    /** The scope of a tenant (null when tenants are not configured). */
    static String scopeOf(String tenant) {
        return tenant == null ? "" : tenant;
    }

    static SuppressionList postgres(DataSource dataSource) {
        return new JdbcSuppressionList(dataSource);
    }

    /** Without a database: nothing is suppressed, nothing is kept. */
    static SuppressionList none() {
        return new SuppressionList() {
            @Override
            public void add(String scope, Entry entry) {
            }

            @Override
            public Set<String> suppressed(String scope, Collection<String> addresses) {
                return Set.of();
            }

            @Override
            public Optional<Entry> get(String scope, String address) {
                return Optional.empty();
            }

            @Override
            public boolean remove(String scope, String address) {
                return false;
            }

            @Override
            public List<Entry> list(String scope, String after, int limit) {
                return List.of();
            }
        };
    }
}
