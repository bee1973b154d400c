package io.github.smtpshield.policy.xml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The one XML parser of every file the shield reads (its policy, James's configuration): a DOCTYPE is refused, so
 * no DTD is loaded and no entity, external or internal, is expanded; nothing is printed on stderr; the stream is
 * closed; an error is one line naming the file and, when the parser knows it, the line.
 */
public final class SafeXml {

    /** The JDK's default handler prints to stderr before throwing; the exception alone is enough. */
    private static final ErrorHandler FAIL_ON_ERROR = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
            // Warnings do not make the file unusable.
        }

        @Override
        public void error(SAXParseException exception) throws SAXParseException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXParseException {
            throw exception;
        }
    };

    private SafeXml() {}

    /** The root element of the file. */
    public static Element read(Path file) throws UnreadableXmlException {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source);
        } catch (NoSuchFileException missing) {
            throw new UnreadableXmlException(source + ": cannot read file: no such file", missing);
        } catch (AccessDeniedException denied) {
            throw new UnreadableXmlException(source + ": cannot read file: permission denied", denied);
        } catch (IOException unreadable) {
            throw new UnreadableXmlException(source + ": cannot read file: " + oneLine(unreadable), unreadable);
        }
    }

    /** The root element of the stream (which the caller closes); {@code source} is what errors call it. */
    public static Element read(InputStream in, String source) throws UnreadableXmlException {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(FAIL_ON_ERROR);
            return builder.parse(in).getDocumentElement();
        } catch (SAXParseException malformed) {
            String line = malformed.getLineNumber() > 0 ? " line " + malformed.getLineNumber() + ":" : "";
            throw new UnreadableXmlException(source + ":" + line + " malformed XML: " + oneLine(malformed), malformed);
        } catch (SAXException malformed) {
            throw new UnreadableXmlException(source + ": malformed XML: " + oneLine(malformed), malformed);
        } catch (IOException unreadable) {
            throw new UnreadableXmlException(source + ": cannot read file: " + oneLine(unreadable), unreadable);
        } catch (ParserConfigurationException impossible) {
            throw new IllegalStateException("the JDK XML parser cannot be made XXE-safe", impossible);
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }

    private static String oneLine(Exception e) {
        return String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ");
    }

    /** The file cannot be read or is not well-formed XML (a DOCTYPE included); the message is one line. */
    public static final class UnreadableXmlException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableXmlException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
