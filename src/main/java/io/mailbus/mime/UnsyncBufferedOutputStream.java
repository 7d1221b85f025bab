package io.mailbus.mime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A write buffer without locks. Angus's quoted-printable encoder writes one byte at a time, and
 * {@link java.io.BufferedOutputStream} and {@link java.io.ByteArrayOutputStream} (Camel's stream cache) take a monitor
 * on every such write: on a 2 KB text message that lock alone was half the render's CPU. One render is one thread,
 * so none is needed.
 */
final class UnsyncBufferedOutputStream extends OutputStream {

    private final OutputStream out;
    private final byte[] buf;
    private int count;

    UnsyncBufferedOutputStream(OutputStream out, int size) {
        this.out = out;
        this.buf = new byte[size];
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            drain();
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= buf.length) {
            drain();
            out.write(b, off, len);
            return;
        }
        if (len > buf.length - count) {
            drain();
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }
}
