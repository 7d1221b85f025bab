package io.mailbus.template;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import com.github.mustachejava.codes.ValueCode;
import io.mailbus.request.ErrorCode;
import io.mailbus.request.TemplateRenderer;
import io.mailbus.request.ValidationError;

/**
 * Named Mustache templates (mustache.java, the engine camel-mustache wraps) in a folder operators edit:
 * {@code <dir>/<name>/subject.mustache} (required), {@code text.mustache}, {@code html.mustache}. Files are read at
 * run time and compiled again when one changes (its modification time or size), so an edit takes effect without a
 * restart. Only the html part escapes variables ({@code {{name}}} becomes HTML-safe; {@code {{{name}}}} is raw, an
 * operator's choice); subject and text take them as they are, and the rendered subject still passes the header rules
 * (a CR or LF from a variable is {@code header_injection}).
 *
 * <p>A variable the template uses at its top level ({@code {{name}}}, {@code {{name.part}}}) must be given: Mustache
 * would render a missing one as nothing, and a mail saying "Dear ," is worse than a 400. Variables inside sections
 * ({@code {{#items}}...{{/items}}}) belong to the section's data and are not checked; a missing section is false.
 */
public class MustacheTemplates implements TemplateRenderer {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final String[] PARTS = {"subject", "text", "html"};

    private record Compiled(List<Object> signature, Mustache subject, Mustache text, Mustache html,
                            Set<String> required) {
    }

    private final Path dir;
    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    public MustacheTemplates(Path dir) {
        this.dir = dir;
    }

    @Override
    public Rendered render(String name, Map<String, Object> variables, List<ValidationError> errors) {
        Compiled t = name != null && NAME.matcher(name).matches() ? load(name) : null;
        if (t == null) {
            errors.add(new ValidationError("template", ErrorCode.TEMPLATE_UNKNOWN,
                    "no template of this name (a folder of mailbus.templates.dir with subject.mustache)"));
            return null;
        }
        boolean missing = false;
        for (String variable : t.required()) {
            if (!variables.containsKey(variable) || variables.get(variable) == null) {
                errors.add(new ValidationError("variables." + variable, ErrorCode.TEMPLATE_VARIABLE_MISSING,
                        "the template '" + name + "' uses this variable"));
                missing = true;
            }
        }
        if (missing) {
            return null;
        }
        return new Rendered(execute(t.subject(), variables), execute(t.text(), variables), execute(t.html(), variables));
    }

    private static String execute(Mustache m, Map<String, Object> variables) {
        if (m == null) {
            return null;
        }
        StringWriter out = new StringWriter();
        m.execute(out, variables);
        return out.toString();
    }

    /** The template, compiled again if a part changed; null when it has no subject part. */
    private Compiled load(String name) {
        Path folder = dir.resolve(name);
        List<Object> signature = new ArrayList<>();
        for (String part : PARTS) {
            Path file = folder.resolve(part + ".mustache");
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                signature.add(modified.toMillis());
                signature.add(Files.size(file));
            } catch (IOException absent) {
                signature.add(null);
                signature.add(null);
            }
        }
        if (signature.get(0) == null) {
            cache.remove(name);
            return null;
        }
        Compiled cached = cache.get(name);
        if (cached != null && cached.signature().equals(signature)) {
            return cached;
        }
        try {
            Set<String> required = new LinkedHashSet<>();
            Mustache subject = compile(folder, "subject", false, required);
            Mustache text = compile(folder, "text", false, required);
            Mustache html = compile(folder, "html", true, required);
            Compiled compiled = new Compiled(signature, subject, text, html, required);
            cache.put(name, compiled);
            return compiled;
        } catch (IOException e) {
            return null;
        }
    }

    private static Mustache compile(Path folder, String part, boolean escapeHtml, Set<String> required)
            throws IOException {
        Path file = folder.resolve(part + ".mustache");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        // a factory per compile: its own cache would otherwise keep a template that changed; partials resolve
        // inside the template's folder only
        MustacheFactory factory = escapeHtml ? new DefaultMustacheFactory(folder.toFile())
                : new DefaultMustacheFactory(folder.toFile()) {
                    @Override
                    public void encode(String value, Writer writer) {
                        try {
                            writer.write(value);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                };
        String source = Files.readString(file, StandardCharsets.UTF_8);
        if (part.equals("subject")) {
            // an editor's final newline is the file's, not the subject's; a line break a variable brings is refused
            source = source.replaceAll("[\\r\\n]+$", "");
        }
        try (Reader reader = new java.io.StringReader(source)) {
            Mustache m = factory.compile(reader, part);
            for (Code code : m.getCodes()) {
                if (code instanceof ValueCode) {
                    String n = code.getName();
                    if (n != null && !n.equals(".")) {
                        required.add(n.contains(".") ? n.substring(0, n.indexOf('.')) : n);
                    }
                }
            }
            return m;
        }
    }
}
