package io.mailbus.request;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The attachments of a request: a plain filename, a single-part content type, an optional content id (which makes
 * the part inline), a disposition, and base64 data within the size limits, judged decoded but without decoding
 * (see {@link Base64Scan}); spooled data ({@link SpooledData}) was checked as it was decoded, and its size is the
 * file's. The data string is shared with the normalised request, never copied.
 */
final class AttachmentRules implements Rule {

    private static final Pattern CONTENT_ID = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]{1,250}");
    private static final Pattern MIME_TOKEN = Pattern.compile("[A-Za-z0-9!#$&^_.+-]{1,127}");
    private static final int MAX_FILENAME_LENGTH = 255;

    private final long maxAttachmentBytes;
    private final long maxTotalAttachmentBytes;
    private final int maxAttachments;

    AttachmentRules(long maxAttachmentBytes, long maxTotalAttachmentBytes, int maxAttachments) {
        this.maxAttachmentBytes = maxAttachmentBytes;
        this.maxTotalAttachmentBytes = maxTotalAttachmentBytes;
        this.maxAttachments = maxAttachments;
    }

    @Override
    public void check(SendRequest in, SendRequest out, List<ValidationError> errors) {
        List<Attachment> attachments = in.getAttachments();
        if (attachments.size() > maxAttachments) {
            // counted before any is read: one error, and no per-attachment work for a list of thousands
            errors.add(new ValidationError("attachments", ErrorCode.TOO_MANY_ATTACHMENTS,
                    "at most " + maxAttachments + " attachments; got " + attachments.size()));
            out.setAttachments(new ArrayList<>());
            return;
        }
        long total = 0;
        List<Attachment> kept = new ArrayList<>();
        for (int i = 0; i < attachments.size(); i++) {
            String prefix = "attachments[" + i + "].";
            Attachment a = attachments.get(i);
            if (a == null) {
                errors.add(new ValidationError("attachments[" + i + "]", ErrorCode.REQUIRED,
                        "an attachment must not be null"));
                continue;
            }
            Attachment n = new Attachment();
            n.setFilename(filename(prefix + "filename", a.getFilename(), errors));
            n.setContentType(contentType(prefix + "contentType", a.getContentType(), errors));
            n.setContentId(contentId(prefix + "contentId", a.getContentId(), errors));
            n.setDisposition(disposition(prefix + "disposition", a.getDisposition(), n.getContentId(), errors));
            n.setData(a.getData());
            n.setSpooled(a.getSpooled());
            total += a.getSpooled() != null ? size(prefix + "data", a.getSpooled().size(), errors)
                    : size(prefix + "data", a.getData(), errors);
            kept.add(n);
        }
        if (total > maxTotalAttachmentBytes) {
            errors.add(new ValidationError("attachments", ErrorCode.ATTACHMENTS_TOO_LARGE,
                    "attachments are " + total + " bytes together, more than " + maxTotalAttachmentBytes));
        }
        out.setAttachments(kept);
    }

    /** The decoded size of {@code data}, or 0 after recording why it is missing, not base64 or too large. */
    private long size(String field, String data, List<ValidationError> errors) {
        if (data == null) {
            errors.add(new ValidationError(field, ErrorCode.REQUIRED, "data (base64) is required"));
            return 0;
        }
        long size = Base64Scan.decodedLength(data);
        if (size < 0) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_BASE64, "data is not valid base64"));
            return 0;
        }
        return size(field, size, errors);
    }

    /** {@code size}, or 0 after recording that it is over the limit. */
    private long size(String field, long size, List<ValidationError> errors) {
        if (size > maxAttachmentBytes) {
            errors.add(new ValidationError(field, ErrorCode.ATTACHMENT_TOO_LARGE,
                    "attachment is " + size + " bytes, more than " + maxAttachmentBytes));
            return 0;
        }
        return size;
    }

    private static String filename(String field, String filename, List<ValidationError> errors) {
        if (Text.blank(filename)) {
            errors.add(new ValidationError(field, ErrorCode.REQUIRED, "filename is required"));
            return null;
        }
        String f = filename.strip();
        if (HeaderSafety.clean(field, f, errors) && (f.indexOf('/') >= 0 || f.indexOf('\\') >= 0
                || f.equals(".") || f.equals("..") || f.length() > MAX_FILENAME_LENGTH)) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_FILENAME, "filename must be a plain name of at most "
                    + MAX_FILENAME_LENGTH + " characters, without / or \\"));
        }
        return f;
    }

    private static String contentType(String field, String contentType, List<ValidationError> errors) {
        if (Text.blank(contentType)) {
            errors.add(new ValidationError(field, ErrorCode.REQUIRED, "contentType is required"));
            return null;
        }
        String ct = contentType.strip();
        if (!HeaderSafety.clean(field, ct, errors)) {
            return ct;
        }
        try {
            ContentType parsed = new ContentType(ct);
            if (!Text.isAscii(ct) || !MIME_TOKEN.matcher(parsed.getPrimaryType()).matches()
                    || !MIME_TOKEN.matcher(parsed.getSubType()).matches()) {
                errors.add(new ValidationError(field, ErrorCode.INVALID_CONTENT_TYPE,
                        "contentType must be type/subtype[; parameters]"));
            } else if (parsed.match("multipart/*") || parsed.match("message/*")) {
                errors.add(new ValidationError(field, ErrorCode.INVALID_CONTENT_TYPE, "multipart and message content "
                        + "types cannot be attached; send them as application/octet-stream"));
            }
        } catch (ParseException e) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_CONTENT_TYPE,
                    "contentType must be type/subtype[; parameters]"));
        }
        return ct;
    }

    /** The id without the angle brackets a client may have written, so the MIME step adds exactly one pair. */
    private static String contentId(String field, String contentId, List<ValidationError> errors) {
        if (contentId == null) {
            return null;
        }
        String id = contentId.strip();
        if (id.length() >= 2 && id.startsWith("<") && id.endsWith(">")) {
            id = id.substring(1, id.length() - 1);
        }
        if (HeaderSafety.clean(field, id, errors) && !CONTENT_ID.matcher(id).matches()) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_CONTENT_ID,
                    "contentId may hold letters, digits, dots, @ and !#$%&'*+/=?^_`{|}~- only"));
        }
        return id;
    }

    private static String disposition(String field, String disposition, String contentId,
                                      List<ValidationError> errors) {
        if (Text.blank(disposition)) {
            return contentId == null ? "attachment" : "inline";
        }
        String d = disposition.strip().toLowerCase(Locale.ROOT);
        if (!d.equals("attachment") && !d.equals("inline")) {
            errors.add(new ValidationError(field, ErrorCode.INVALID_DISPOSITION, "disposition must be attachment or inline"));
        }
        return d;
    }
}
