package io.github.smtpshield.policy;

/** The shield's rules, one per Kerio setting; the names are those of {@code smtpshield.xml} and of the metrics. */
public enum Rule {
    MAX_MESSAGES_PER_HOUR("maxMessagesPerHour"),
    MAX_CONCURRENT_CONNECTIONS("maxConcurrentConnections"),
    MAX_UNKNOWN_RECIPIENTS("maxUnknownRecipients"),
    MAX_FAILED_COMMANDS("maxFailedCommands"),
    MAX_RECIPIENTS_PER_MESSAGE("maxRecipientsPerMessage"),
    MAX_MESSAGE_SIZE("maxMessageSize"),
    REJECT_UNKNOWN_SENDER_DOMAIN("rejectUnknownSenderDomain"),
    REJECT_CLIENT_WITHOUT_PTR("rejectClientWithoutPtr");

    private final String configName;

    Rule(String configName) {
        this.configName = configName;
    }

    /** The element of {@code smtpshield.xml} that configures the rule. */
    public String configName() {
        return configName;
    }
}
