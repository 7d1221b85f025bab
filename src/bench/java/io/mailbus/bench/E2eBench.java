package io.mailbus.bench;

import java.nio.file.Path;
import java.util.List;

/** End to end (filled in below). */
final class E2eBench {
    static final String MAILBUS = "mailbus";
    static final String CAMEL_MAIL = "camel-mail";

    record Result(String variant, String ingress, double rate) {
    }

    E2eBench(Sink sink, boolean quick, int reps, Path out) {
    }

    List<Result> runAll() {
        return List.of();
    }

    static double medianRate(List<Result> rs, String variant, String ingress) {
        return Double.NaN;
    }

    static String markdown(List<Result> rs) {
        return "";
    }
}
