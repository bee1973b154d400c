package io.github.smtpshield.audit.conf;

import io.github.smtpshield.policy.xml.SafeXml;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.lang3.BooleanUtils;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One of James's XML configuration files, read with the shield's hardened parser and walked as James's loader
 * would hand its values out: trimmed, placeholders resolved, booleans in commons-configuration's words.
 */
final class ConfXml {
    private ConfXml() {}

    static Element root(Path file) throws UnreadableConfException {
        try {
            return SafeXml.read(file);
        } catch (SafeXml.UnreadableXmlException e) {
            throw new UnreadableConfException(e.getMessage(), e);
        }
    }

    static Element root(InputStream in, String source) throws UnreadableConfException {
        try {
            return SafeXml.read(in, source);
        } catch (SafeXml.UnreadableXmlException e) {
            throw new UnreadableConfException(e.getMessage(), e);
        }
    }

    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    static Optional<Element> child(Element parent, String name) {
        return children(parent, name).stream().findFirst();
    }

    /** The value of a child element, if it is there. */
    static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(element -> value(element.getTextContent()));
    }

    /** The value of a child element by path ({@code auth/announce}). */
    static Optional<String> textAt(Element parent, String... path) {
        Element current = parent;
        for (int i = 0; i < path.length - 1; i++) {
            Optional<Element> next = child(current, path[i]);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        return text(current, path[path.length - 1]);
    }

    static Optional<String> attribute(Element element, String name) {
        return element.hasAttribute(name) ? Optional.of(value(element.getAttribute(name))) : Optional.empty();
    }

    /**
     * A boolean as James reads it ({@code true/yes/on/y/t}, {@code false/no/off/n/f}, any case); {@code otherwise}
     * when the value is absent or none of those (James would refuse to start on the latter).
     */
    static boolean bool(Optional<String> value, boolean otherwise) {
        return value.map(BooleanUtils::toBooleanObject).orElse(otherwise);
    }

    private static String value(String raw) {
        return Placeholders.resolve(raw.strip());
    }
}
