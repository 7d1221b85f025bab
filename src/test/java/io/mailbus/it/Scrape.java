package io.mailbus.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of /observe/metrics in the Prometheus text format, read into samples by name and labels. */
final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** name -> (labels -> value) */
    private final Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();
    final String text;

    private Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(labels, Double.parseDouble(m.group(4)));
        }
    }

    static Scrape of(HttpClient http, int managementPort) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/observe/metrics")).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/observe/metrics answered " + r.statusCode());
        }
        return new Scrape(r.body());
    }

    /** Whether the scrape has any sample of {@code name}. */
    boolean has(String name) {
        return samples.containsKey(name);
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels} (k1, v1, k2, v2...); NaN if none. */
    double value(String name, String... labels) {
        Map<Map<String, String>, Double> byLabels = samples.getOrDefault(name, Map.of());
        double sum = 0;
        boolean any = false;
        outer:
        for (var e : byLabels.entrySet()) {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(e.getKey().get(labels[i]))) {
                    continue outer;
                }
            }
            sum += e.getValue();
            any = true;
        }
        return any ? sum : Double.NaN;
    }
}
