package io.mailbus.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

/**
 * An attachment whose bytes stay base64 text until they are written: each read decodes afresh from the
 * request's string, so a 25 MB attachment never exists as a second, decoded array in the heap. An attachment of a
 * large request is read from its spool file instead ({@link io.mailbus.request.SpooledData}), also afresh each time.
 */
final class Base64DataSource extends ReadOnlyDataSource {

    /** Opens the attachment's bytes again for each write. */
    interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener bytes;

    Base64DataSource(String base64, String contentType, String name) {
        this(() -> Base64.getMimeDecoder().wrap(new Latin1Stream(base64)), contentType, name);
    }

    Base64DataSource(Opener bytes, String contentType, String name) {
        super(contentType, name);
        this.bytes = bytes;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return bytes.open();
    }

    /** The chars of an ASCII string as bytes, without copying the string. */
    private static final class Latin1Stream extends InputStream {
        private final String s;
        private int pos;

        Latin1Stream(String s) {
            this.s = s;
        }

        @Override
        public int read() {
            return pos < s.length() ? s.charAt(pos++) & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= s.length()) {
                return -1;
            }
            int n = Math.min(len, s.length() - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) s.charAt(pos + i);
            }
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return s.length() - pos;
        }
    }
}
