package io.github.smtpshield.policy;

import java.util.Objects;

/**
 * What the shield refuses, in its own words, declared by the rule that refuses it (as a constant of the rule's
 * class): the rule it counts under, the reason the security log gives, and the SMTP reply. The policy answers with a
 * refusal; the SMTP adapter writes its reply.
 *
 * @param rule   the element name of the rule it is counted under in the metrics ({@code maxUnknownRecipients})
 * @param reason the reason in the security log's words, e.g. "directory harvest attack"
 * @param reply  the SMTP reply
 */
public record Refusal(String rule, String reason, Reply reply) {

    public Refusal {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(reply, "reply");
    }
}
