package io.mailbus.request;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields a request carries but Mailbus never renders, tags and metadata: they travel with every event and copy
 * of the request, so their counts and sizes are bounded. A metadata value is measured as the characters of its JSON
 * text, walked with a budget: the walk stops once the budget is spent, so a value of a million nested elements
 * costs as much as one of {@code maxValueChars}, and the whole rule is linear in the request.
 */
final class CarriedFields implements Rule {

    static final int MAX_METADATA_KEY_LENGTH = 128;

    private final int maxTags;
    private final int maxTagLength;
    private final int maxMetadataKeys;
    private final int maxValueChars;

    CarriedFields(int maxTags, int maxTagLength, int maxMetadataKeys, int maxValueChars) {
        this.maxTags = maxTags;
        this.maxTagLength = maxTagLength;
        this.maxMetadataKeys = maxMetadataKeys;
        this.maxValueChars = maxValueChars;
    }

    @Override
    public void check(SendRequest in, SendRequest out, List<ValidationError> errors) {
        List<String> tags = in.getTags();
        if (tags.size() > maxTags) {
            errors.add(new ValidationError("tags", ErrorCode.TOO_MANY_TAGS,
                    "at most " + maxTags + " tags; got " + tags.size()));
        } else {
            for (int i = 0; i < tags.size(); i++) {
                if (tags.get(i) != null && tags.get(i).length() > maxTagLength) {
                    errors.add(new ValidationError("tags[" + i + "]", ErrorCode.TAG_TOO_LONG,
                            "a tag is at most " + maxTagLength + " characters"));
                }
            }
        }
        out.setTags(tags);
        Map<String, Object> metadata = in.getMetadata();
        if (metadata.size() > maxMetadataKeys) {
            errors.add(new ValidationError("metadata", ErrorCode.TOO_MANY_METADATA_KEYS,
                    "at most " + maxMetadataKeys + " metadata keys; got " + metadata.size()));
            out.setMetadata(new LinkedHashMap<>());
            return;
        }
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            String key = e.getKey() == null ? "" : e.getKey();
            if (key.length() > MAX_METADATA_KEY_LENGTH) {
                errors.add(new ValidationError("metadata." + key, ErrorCode.METADATA_TOO_LARGE,
                        "a metadata key is at most " + MAX_METADATA_KEY_LENGTH + " characters"));
            } else if (jsonChars(e.getValue(), maxValueChars + 1L) > maxValueChars) {
                errors.add(new ValidationError("metadata." + key, ErrorCode.METADATA_TOO_LARGE,
                        "a metadata value is at most " + maxValueChars + " characters of JSON"));
            }
        }
        out.setMetadata(metadata);
    }

    /**
     * About the length of {@code value}'s JSON text (strings unescaped), or a number at least {@code budget} once it
     * reaches it: each element is visited at most once and the walk stops at the budget, so the cost is bounded by
     * {@code budget} elements whatever the value holds.
     */
    static long jsonChars(Object value, long budget) {
        List<Object> pending = new ArrayList<>();
        pending.add(value);
        long n = 0;
        while (!pending.isEmpty() && n < budget) {
            Object v = pending.remove(pending.size() - 1);
            if (v instanceof String s) {
                n += s.length() + 2;
            } else if (v instanceof Map<?, ?> m) {
                n += 2;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    n += String.valueOf(e.getKey()).length() + 4;
                    pending.add(e.getValue());
                    if (n >= budget) {
                        break;
                    }
                }
            } else if (v instanceof Collection<?> c) {
                n += 2;
                for (Object o : c) {
                    n += 1;
                    pending.add(o);
                    if (n >= budget) {
                        break;
                    }
                }
            } else {
                n += String.valueOf(v).length();
            }
        }
        return n;
    }
}
