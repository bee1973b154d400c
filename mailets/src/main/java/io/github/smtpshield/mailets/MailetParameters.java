package io.github.smtpshield.mailets;

import javax.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bad matcher or mailet parameter in {@code mailetcontainer.xml} stops James's start-up (a failed
 * {@code init()} does); this logs the one line an administrator needs first, in the shield's words.
 */
final class MailetParameters {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");

    private MailetParameters() {}

    static MessagingException refuse(String what, String problem) {
        String line = "SMTP Shield refuses to start: mailetcontainer.xml: " + what + ": " + problem;
        LOGGER.error(line);
        return new MessagingException(line);
    }
}
