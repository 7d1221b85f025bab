package io.mailbus.suppression;

import java.util.List;

/**
 * One page of {@code GET /api/v1/suppressions}.
 *
 * @param suppressions up to {@code limit} entries in address order
 * @param next         the {@code after} of the next page; absent on the last
 */
public record SuppressionPage(List<SuppressionList.Entry> suppressions, String next) {
}
