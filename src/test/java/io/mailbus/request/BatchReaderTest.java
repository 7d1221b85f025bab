package io.mailbus.request;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Pins how a batch is cut into its requests: an array or {@code {"messages": [...]}}, each element exactly as sent
 * (so a duplicate key stays that element's error), and the whole-batch refusals with their codes.
 */
class BatchReaderTest {

    @Test
    void cutsEachElementOutOfAnArrayAsSent() {
        assertThat(BatchReader.elements(" [ {\"a\": [1, {\"b\": 2}]} , {\"to\": \"x\", \"to\": \"y\"}, 7 ] ", 10))
                .containsExactly("{\"a\": [1, {\"b\": 2}]}", "{\"to\": \"x\", \"to\": \"y\"}", "7");
    }

    @Test
    void readsTheMessagesObject() {
        assertThat(BatchReader.elements("{\"messages\": [{\"subject\": \"é ✓\"}]}", 10))
                .containsExactly("{\"subject\": \"é ✓\"}");
    }

    @Test
    void refusesMoreThanTheMaximum() {
        assertThat(errors("[{}, {}, {}]", 2)).containsExactly(tuple("messages", "too_many_messages"));
        assertThat(BatchReader.elements("[{}, {}]", 2)).hasSize(2);
    }

    @Test
    void refusesABatchUnusableAsAWhole() {
        assertThat(errors("[]", 10)).containsExactly(tuple("messages", "no_messages"));
        assertThat(errors("{\"to\": \"a@example.com\"}", 10)).containsExactly(tuple("to", "unknown_field"));
        assertThat(errors("{\"messages\": {}}", 10)).containsExactly(tuple("messages", "invalid_type"));
        assertThat(errors("[{}, ", 10)).extracting(t -> t.toList().get(1)).containsExactly("invalid_json");
        assertThat(errors("[{}] []", 10)).extracting(t -> t.toList().get(1)).containsExactly("invalid_json");
        assertThat(errors("\"x\"", 10)).extracting(t -> t.toList().get(1)).containsExactly("invalid_json");
    }

    private static List<org.assertj.core.groups.Tuple> errors(String text, int max) {
        InvalidSendRequestException e = catchThrowableOfType(InvalidSendRequestException.class,
                () -> BatchReader.elements(text, max));
        assertThat(e).as(text).isNotNull();
        return e.getErrors().stream().map(v -> tuple(v.field(), v.code())).toList();
    }
}
