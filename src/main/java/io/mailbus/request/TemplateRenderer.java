package io.mailbus.request;

import java.util.List;
import java.util.Map;

/**
 * Renders a named template's parts with a request's variables (see {@code io.mailbus.template.MustacheTemplates}).
 * The rendered subject, text and html then pass every rule a written one does.
 */
public interface TemplateRenderer {

    /** The rendered parts; a part the template lacks is null. */
    record Rendered(String subject, String text, String html) {
    }

    /**
     * @param errors where {@code template_unknown} (field {@code template}) and {@code template_variable_missing}
     *     (field {@code variables.<name>}) are added
     * @return the parts, or null when an error was added
     */
    Rendered render(String name, Map<String, Object> variables, List<ValidationError> errors);
}
