package io.github.smtpshield.policy.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * One element of the file being read, knowing its path from the root so that every error can
 * name the file, the element and the value (see {@link ShieldConfigException}).
 */
public final class ConfigElement {

    private final String source;
    private final String path;
    private final Element element;

    private ConfigElement(String source, String path, Element element) {
        this.source = source;
        this.path = path;
        this.element = element;
    }

    static ConfigElement root(String source, Element element) {
        return new ConfigElement(source, "<" + element.getTagName() + ">", element);
    }

    /** Refuses any attribute not named in {@code allowed}. */
    public void allowAttributes(String... allowed) throws ShieldConfigException {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            String name = attributes.item(i).getNodeName();
            if (!List.of(allowed).contains(name)) {
                throw error("unknown attribute (" + expected(allowed) + "): '" + name + "'");
            }
        }
    }

    /**
     * The child elements by name, each at most once, in any order. Refuses unknown or duplicated
     * elements and text between them; comments are fine.
     */
    public Map<String, ConfigElement> children(String... allowed) throws ShieldConfigException {
        Map<String, ConfigElement> children = new LinkedHashMap<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                String name = child.getTagName();
                if (!List.of(allowed).contains(name)) {
                    throw error("unknown element (" + expected(allowed) + "): '" + name + "'");
                }
                ConfigElement config = new ConfigElement(source, path + "<" + name + ">", child);
                if (children.putIfAbsent(name, config) != null) {
                    throw config.error("duplicated element");
                }
            } else if (isText(node) && !node.getNodeValue().isBlank()) {
                throw error("unexpected text: '" + node.getNodeValue().strip() + "'");
            }
        }
        return children;
    }

    /**
     * The child elements, all named {@code name}, in the file's order (a list, such as {@code <zone>}s). Refuses any
     * other element and text between them; comments are fine.
     */
    public List<ConfigElement> repeated(String name) throws ShieldConfigException {
        List<ConfigElement> children = new ArrayList<>();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                if (!child.getTagName().equals(name)) {
                    throw error("unknown element (" + expected(name) + "): '" + child.getTagName() + "'");
                }
                children.add(new ConfigElement(source, path + "<" + name + ">", child));
            } else if (isText(node) && !node.getNodeValue().isBlank()) {
                throw error("unexpected text: '" + node.getNodeValue().strip() + "'");
            }
        }
        return children;
    }

    /**
     * The sibling element named {@code name} (the first), for a setting a rule's element shares its section with (the
     * section's own reading checks its children).
     */
    public Optional<ConfigElement> sibling(String name) {
        String parentPath = path.substring(0, path.lastIndexOf('<'));
        for (Node node = element.getParentNode().getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element other && other.getTagName().equals(name)) {
                return Optional.of(new ConfigElement(source, parentPath + "<" + name + ">", other));
            }
        }
        return Optional.empty();
    }

    /** The element's trimmed text read by {@code reader}, whose IllegalArgumentException names the problem. */
    public <T> T value(Function<String, T> reader) throws ShieldConfigException {
        StringBuilder text = new StringBuilder();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child) {
                throw error("unexpected element inside a value: '" + child.getTagName() + "'");
            }
            if (isText(node)) {
                text.append(node.getNodeValue());
            }
        }
        try {
            return reader.apply(text.toString().strip());
        } catch (IllegalArgumentException bad) {
            throw error(bad.getMessage());
        }
    }

    /** The attribute's trimmed value read by {@code reader}, or empty if the attribute is absent. */
    public <T> Optional<T> attribute(String name, Function<String, T> reader) throws ShieldConfigException {
        if (!element.hasAttribute(name)) {
            return Optional.empty();
        }
        try {
            return Optional.of(reader.apply(element.getAttribute(name).strip()));
        } catch (IllegalArgumentException bad) {
            throw attributeError(name, bad.getMessage());
        }
    }

    public ShieldConfigException error(String problem) {
        return new ShieldConfigException(source + ": " + path + ": " + problem);
    }

    public ShieldConfigException attributeError(String attribute, String problem) {
        String where = path.substring(0, path.length() - 1) + " " + attribute + ">";
        return new ShieldConfigException(source + ": " + where + ": " + problem);
    }

    private static boolean isText(Node node) {
        return node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE;
    }

    private static String expected(String... allowed) {
        if (allowed.length == 0) {
            return "none expected here";
        }
        if (allowed.length == 1) {
            return "expected " + allowed[0];
        }
        return "expected " + String.join(", ", List.of(allowed).subList(0, allowed.length - 1)) + " or "
                + allowed[allowed.length - 1];
    }
}
