package io.mailbus.bench;

/**
 * One measured run.
 *
 * @param messages  messages the peer completed (Java peers: exchanges without exception; smtp-source: its count)
 * @param seconds   wall time of the run
 * @param cpuSeconds CPU seconds of the sending process during the run
 * @param errors    failed sends
 * @param heapPeakMiB peak heap during the run (Java peers), NaN otherwise
 * @param rssHwmMiB  peak RSS of the bench JVM so far (VmHWM), NaN for smtp-source
 */
record Run(long messages, double seconds, double cpuSeconds, long errors, double heapPeakMiB, double rssHwmMiB) {

    double rate() {
        return seconds <= 0 ? 0 : messages / seconds;
    }

    double cpuPer1k() {
        return messages == 0 ? Double.NaN : cpuSeconds / messages * 1000;
    }
}
