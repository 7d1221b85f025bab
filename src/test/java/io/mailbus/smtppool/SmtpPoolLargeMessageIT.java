package io.mailbus.smtppool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Pins that a 100 MB message goes to DATA without being copied: a streamed body is read once, never more than
 * socket-buffer distance ahead of what the server has received, and neither a streamed nor a byte[] body makes the
 * sending thread allocate anything near the body's size. The server checks size and CRC after dot-unstuffing, so
 * dot-stuffing of lines starting with "." is exercised on the way.
 */
class SmtpPoolLargeMessageIT extends ScriptedServerTestSupport {

    private static final long SIZE = 100L * 1024 * 1024;
    /** Loopback socket buffers (send + receive, autotuned) and stream buffers stay far below this. */
    private static final long MAX_LEAD = 24L * 1024 * 1024;
    /**
     * Stream buffers and one-time class initialisation (measured: under 1 MB for byte[] bodies, about 7 MB for the
     * first streamed one, the same for 20 MB and 100 MB); a copy of the body would be at least SIZE.
     */
    private static final long MAX_ALLOCATED = SIZE / 8;

    /** A message generated as it is read: headers, then lines of which every third starts with a dot. */
    private final class GeneratedMessage extends InputStream {

        private final byte[] head = ("From: sender@example.com\r\nTo: rcpt@example.com\r\nSubject: big\r\n"
                                     + "Message-ID: <big@mailbus.test>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        private final byte[][] lines = { line("The quick brown fox jumps over the lazy dog"),
                                         line("0123456789abcdefghijklmnopqrstuvwxyz"),
                                         line(".a line the client must dot-stuff and the server must un-stuff") };
        private final CRC32 crc = new CRC32();
        private long position;
        private long maxLead;

        private byte at(long pos) {
            if (pos < head.length) {
                return head[(int) pos];
            }
            long body = pos - head.length;
            int lineLength = lines[0].length;
            return lines[(int) ((body / lineLength) % 3)][(int) (body % lineLength)];
        }

        private long total() {
            long body = SIZE - head.length;
            return head.length + body - body % lines[0].length; // whole lines only, ending in CRLF
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long left = total() - position;
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            for (int i = 0; i < n; i++) {
                b[off + i] = at(position + i);
            }
            crc.update(b, off, n);
            position += n;
            maxLead = Math.max(maxLead, position - server.dataBytes());
            return n;
        }
    }

    /** The text padded to 70 characters plus CRLF, so every line has the same length. */
    private static byte[] line(String text) {
        return (text + ".".repeat(70 - text.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static void assumeAllocationCounting() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        assumeThat(((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .isThreadAllocatedMemoryEnabled()).isTrue();
    }

    @Test
    void shouldStreamA100MbBodyToDataOnceAndWithoutCopyingIt() {
        assumeAllocationCounting();
        server.keepMessages(false);
        GeneratedMessage body = new GeneratedMessage();
        Exchange exchange = TestMessages.exchange(context, body, "sender@example.com", List.of("rcpt@example.com"));

        long before = allocatedByThisThread();
        Exchange sent = template.send(server.uri("readTimeout=60000"), exchange);
        long allocated = allocatedByThisThread() - before;

        assertThat(sent.getException()).isNull();
        assertThat(sent.getMessage().getHeader(SmtpPoolConstants.MESSAGE_ID)).isEqualTo("<big@mailbus.test>");
        assertThat(body.position).isEqualTo(body.total());
        assertThat(server.digests()).singleElement()
                .satisfies(d -> assertThat(d).containsExactly(body.total(), body.crc.getValue()));
        assertThat(body.maxLead).as("bytes read ahead of the server").isLessThan(MAX_LEAD);
        assertThat(allocated).as("bytes allocated by the sending thread").isLessThan(MAX_ALLOCATED);
    }

    @Test
    void shouldWriteA100MbByteArrayBodyWithoutCopyingIt() {
        assumeAllocationCounting();
        server.keepMessages(false).ehlo("250-stub.test\r\n250-8BITMIME\r\n250 SIZE 0"); // RFC 1870: no fixed limit
        GeneratedMessage source = new GeneratedMessage();
        byte[] raw = new byte[(int) source.total()];
        int filled = source.read(raw, 0, raw.length);
        assertThat(filled).isEqualTo(raw.length);
        Exchange exchange = TestMessages.exchange(context, raw, "sender@example.com", List.of("rcpt@example.com"));

        long before = allocatedByThisThread();
        Exchange sent = template.send(server.uri("readTimeout=60000"), exchange);
        long allocated = allocatedByThisThread() - before;

        assertThat(sent.getException()).isNull();
        assertThat(server.digests()).singleElement()
                .satisfies(d -> assertThat(d).containsExactly((long) raw.length, source.crc.getValue()));
        assertThat(allocated).as("bytes allocated by the sending thread").isLessThan(MAX_ALLOCATED);
    }
}
