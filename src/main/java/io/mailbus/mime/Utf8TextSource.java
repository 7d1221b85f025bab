package io.mailbus.mime;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A text body as the UTF-8 octets that {@code MimeBodyPart.setText(text, "UTF-8", subtype)} writes, but read in bulk.
 * Angus writes a String content through its {@code text_plain} handler, which wraps the transfer encoder in a
 * {@code FilterOutputStream} that hands it one byte per call (synchronized in its base64 encoder) and parses the
 * Content-Type again for the charset; a data source is copied into the encoder in blocks. The text is encoded a
 * block at a time, never as one array of the whole body, with the JDK's encoder (a lone surrogate becomes '?', as
 * in the writer Angus uses).
 */
final class Utf8TextSource extends ReadOnlyDataSource {

    /** Characters encoded per block. */
    private static final int BLOCK = 8 * 1024;

    private final String text;

    Utf8TextSource(String text, String subtype) {
        super("text/" + subtype + "; charset=UTF-8", null);
        this.text = text;
    }

    @Override
    public InputStream getInputStream() {
        return new Blocks(text);
    }

    private static final class Blocks extends InputStream {
        private final String text;
        private int next;           // the first character not encoded yet
        private byte[] block = new byte[0];
        private int pos;

        Blocks(String text) {
            this.text = text;
        }

        @Override
        public int read() {
            return fill() ? block[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            return n;
        }

        /** Encodes the next block when this one is used up; false at the end of the text. */
        private boolean fill() {
            while (pos == block.length) {
                if (next >= text.length()) {
                    return false;
                }
                int end = Math.min(text.length(), next + BLOCK);
                if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                    end--; // keep a surrogate pair in one block, so it is encoded as one code point
                }
                block = (next == 0 && end == text.length() ? text : text.substring(next, end))
                        .getBytes(StandardCharsets.UTF_8);
                pos = 0;
                next = end;
            }
            return true;
        }
    }
}
