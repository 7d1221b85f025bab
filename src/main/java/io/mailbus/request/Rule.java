package io.mailbus.request;

import java.util.List;

/**
 * The rules of one subject of a send request (its mailboxes, its attachments...): reads its fields of {@code in},
 * sets their normalised form on {@code out}, and adds every rule they break to {@code errors}, so that one pass
 * reports every error at once. {@code in} is not changed.
 */
interface Rule {

    void check(SendRequest in, SendRequest out, List<ValidationError> errors);
}
