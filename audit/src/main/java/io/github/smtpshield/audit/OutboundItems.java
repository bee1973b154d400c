package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.MailetContainer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The checklist's items on mail leaving the server: STARTTLS on each RemoteDelivery, and one queue for each. */
final class OutboundItems {
    private static final String MAILETCONTAINER = MailetContainer.FILE;

    private OutboundItems() {}

    static void outboundTls(MailetContainer mailets, Findings findings) {
        String item = "outbound STARTTLS (use SSL/TLS if supported by the remote server)";
        if (mailets.remoteDeliveries().isEmpty()) {
            findings.add(
                    Verdict.OK,
                    item,
                    "no RemoteDelivery: this server sends no mail out",
                    MAILETCONTAINER,
                    "<processors>");
        }
        for (MailetContainer.Mailet delivery : mailets.remoteDeliveries()) {
            boolean startTls = flag(delivery, "startTLS", false);
            boolean smtps = flag(delivery, "sslEnable", false);
            boolean verifies = flag(delivery, "verifyServerIdentity", true);
            boolean trustsAny = delivery.parameter("mail.smtp.ssl.trust")
                    .map(String::strip)
                    .filter("*"::equals)
                    .isPresent();
            if (smtps) {
                findings.add(
                        Verdict.OK,
                        item,
                        "SMTPS (TLS from the first byte)",
                        MAILETCONTAINER,
                        delivery.where() + " <sslEnable>");
            } else if (!startTls) {
                findings.add(
                        Verdict.WARN,
                        item,
                        "off: mail goes out in clear even to servers that offer STARTTLS; set <startTLS>true</startTLS>,"
                                + " <mail.smtp.ssl.trust>*</mail.smtp.ssl.trust>, <verifyServerIdentity>false</verifyServerIdentity>",
                        MAILETCONTAINER,
                        delivery.where() + " <startTLS>");
            } else if (verifies && !trustsAny) {
                findings.add(
                        Verdict.WARN,
                        item,
                        "on, but the remote certificate must be valid for its name: mail to the many MXes with a"
                                + " self-signed certificate is deferred, never sent; for opportunistic TLS add"
                                + " <mail.smtp.ssl.trust>*</mail.smtp.ssl.trust> and <verifyServerIdentity>false</verifyServerIdentity>",
                        MAILETCONTAINER,
                        delivery.where() + " <verifyServerIdentity>");
            } else {
                boolean required = flag(delivery, "mail.smtp.starttls.required", false);
                findings.add(
                        Verdict.OK,
                        item,
                        required ? "STARTTLS required (never in clear)" : "STARTTLS whenever the remote offers it",
                        MAILETCONTAINER,
                        delivery.where() + " <startTLS>");
            }
        }
    }

    /** A RemoteDelivery parameter read as the mailet reads it: {@code true} or anything else. */
    private static boolean flag(MailetContainer.Mailet delivery, String parameter, boolean otherwise) {
        return delivery.parameter(parameter).map(Boolean::parseBoolean).orElse(otherwise);
    }

    /**
     * James's RemoteDelivery reads its queue name from {@code <outgoing>} (default {@code outgoing}); two of them on one
     * queue each deliver the other's mail with their own settings, so mail meant for a require-TLS delivery can leave
     * through an opportunistic one, in clear.
     */
    static void sharedQueues(MailetContainer mailets, Findings findings) {
        String item = "one queue per RemoteDelivery";
        Map<String, List<MailetContainer.Mailet>> byQueue = mailets.remoteDeliveries().stream()
                .collect(Collectors.groupingBy(
                        delivery -> delivery.parameter("outgoing")
                                .filter(queue -> !queue.isEmpty())
                                .orElse("outgoing"),
                        TreeMap::new,
                        Collectors.toList()));
        if (byQueue.size() == mailets.remoteDeliveries().size()) {
            if (byQueue.size() > 1) {
                findings.add(
                        Verdict.OK,
                        item,
                        "queues " + String.join(", ", byQueue.keySet()),
                        MAILETCONTAINER,
                        "<mailet class=\"RemoteDelivery\"> <outgoing>");
            }
            return;
        }
        byQueue.forEach((queue, deliveries) -> {
            if (deliveries.size() > 1) {
                findings.add(
                        Verdict.FAIL,
                        item,
                        deliveries.size() + " RemoteDelivery mailets share the queue '" + queue + "': each sends the"
                                + " other's mail with its own settings (mail meant to require TLS can go out in clear); give each its own"
                                + " <outgoing> (note: <outgoingQueue> is not a RemoteDelivery parameter)",
                        MAILETCONTAINER,
                        deliveries.get(1).where() + " <outgoing>");
            }
        });
    }
}
