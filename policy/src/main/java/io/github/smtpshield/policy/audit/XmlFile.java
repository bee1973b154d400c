package io.github.smtpshield.policy.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** Reads a James XML configuration file (no DTD, no external entities) and walks its elements. */
final class XmlFile {
    private XmlFile() {}

    static Element root(Path file) throws UnreadableConfException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(Files.newInputStream(file)).getDocumentElement();
        } catch (IOException e) {
            throw new UnreadableConfException(file + ": cannot read file: " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new UnreadableConfException(file + ": malformed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
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

    /** The trimmed text of a child element, if it is there. */
    static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(element -> element.getTextContent().strip());
    }

    /** The text of a child element by path ({@code auth/announce}). */
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
        return element.hasAttribute(name)
                ? Optional.of(element.getAttribute(name).strip())
                : Optional.empty();
    }
}
