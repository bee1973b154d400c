package io.github.smtpshield.mailets;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.smtpshield.policy.CheckedInSession;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rejects the mail it is given: no recipient gets a copy (the mail ends as {@code ghost}) and the sender gets a
 * delivery status notification (RFC 3464) naming every recipient, with the status a cap matcher found
 * ({@code 5.5.3} too many recipients, {@code 5.3.4} message too big). No DSN goes:
 * <ul>
 * <li>for mail with no sender ({@code <>}, itself a bounce), so two servers can never bounce a message back and
 *     forth;</li>
 * <li>for mail that came through a guarded listener from a client that neither authenticated nor is in
 *     {@code <authorizedAddresses>}: its sender may be forged, and a DSN would carry the attacker's message to
 *     the victim (backscatter). Such mail is to be refused in the SMTP session; the shield's caps are.</li>
 * </ul>
 *
 * <pre>{@code
 * <mailet match="io.github.smtpshield.mailets.TooManyRecipients" class="io.github.smtpshield.mailets.RejectWithDsn"/>
 * <mailet match="io.github.smtpshield.mailets.MessageTooBig" class="io.github.smtpshield.mailets.RejectWithDsn"/>
 * }</pre>
 * Parameters, all optional:
 * <ul>
 * <li>{@code status}: the status used for mail that no cap matcher marked (default {@code 5.7.1});</li>
 * <li>{@code reason}: the reason given with it (default "Message rejected by policy");</li>
 * <li>{@code attachment}: {@code headers} (default: the DSN carries the rejected message's header) or {@code none}.
 *     Never the whole message: a DSN for a message too big must not be too big itself;</li>
 * <li>{@code reportingMta}: the name in the DSN's Reporting-MTA field (default: this host's name).</li>
 * </ul>
 */
public class RejectWithDsn extends GenericMailet {
    private static final Logger SECURITY = LoggerFactory.getLogger("smtpshield.security");
    private static final Set<String> PARAMETERS = Set.of("status", "reason", "attachment", "reportingMta");
    private static final Pattern PERMANENT_STATUS = Pattern.compile("5\\.\\d{1,3}\\.\\d{1,3}");
    private static final String CRLF = "\r\n";
    /** Set by James's SMTP server on mail from {@code <authorizedAddresses>} (its matcher SMTPIsAuthNetwork reads it). */
    private static final AttributeName AUTHORIZED_NETWORK = AttributeName.of("org.apache.james.SMTPIsAuthNetwork");

    private OverCap fallback;
    private boolean attachHeaders;
    private String reportingMta;

    @Override
    public void init() throws MessagingException {
        String what = "mailet " + getClass().getName();
        for (Iterator<String> names = getInitParameterNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PARAMETERS.contains(name)) {
                throw MailetParameters.refuse(
                        what, "unknown parameter <" + name + "> (known: status, reason, attachment, reportingMta)");
            }
        }
        String status = getInitParameter("status", "5.7.1").strip();
        if (!PERMANENT_STATUS.matcher(status).matches()) {
            throw MailetParameters.refuse(
                    what, "<status> must be a permanent RFC 3463 status such as 5.7.1: '" + status + "'");
        }
        fallback = new OverCap(
                status,
                550,
                getInitParameter("reason", "Message rejected by policy").strip());
        String attachment = getInitParameter("attachment", "headers").strip();
        attachHeaders = switch (attachment.toLowerCase(Locale.ROOT)) {
            case "headers" -> true;
            case "none" -> false;
            default ->
                throw MailetParameters.refuse(what, "<attachment> must be headers or none: '" + attachment + "'");
        };
        reportingMta = getInitParameterAsOptional("reportingMta")
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .orElseGet(RejectWithDsn::localHostName);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        OverCap overCap = OverCap.of(mail).orElse(fallback);
        List<MailAddress> recipients = List.copyOf(mail.getRecipients());
        Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
        boolean forgeable = isUnauthenticatedInbound(mail);
        SECURITY.info(
                "Message {} from {} to {} recipient(s) rejected: {} {}{}",
                mail.getName(),
                mail.getMaybeSender().asString(),
                recipients.size(),
                overCap.status(),
                overCap.reason(),
                forgeable && sender.isPresent()
                        ? "; no DSN to the sender of unauthenticated inbound mail (it may be forged)"
                        : "");
        if (sender.isPresent() && !forgeable) {
            getMailetContext()
                    .sendMail(null, List.of(sender.get()), deliveryStatusNotification(mail, recipients, overCap));
        }
        mail.setState(Mail.GHOST);
    }

    /**
     * Received by a guarded listener ({@link CheckedInSession}) from a client that did not authenticate and may not
     * relay: James marks the others with {@link Mail#SMTP_AUTH_USER} or {@link #AUTHORIZED_NETWORK}.
     */
    private static boolean isUnauthenticatedInbound(Mail mail) {
        return CapMatcher.sessionSize(mail).isPresent()
                && mail.getAttribute(Mail.SMTP_AUTH_USER).isEmpty()
                && mail.getAttribute(AUTHORIZED_NETWORK).isEmpty();
    }

    @SuppressWarnings("JavaUtilDate") // Jakarta Mail takes a Date
    private MimeMessage deliveryStatusNotification(Mail mail, List<MailAddress> recipients, OverCap overCap)
            throws MessagingException {
        MimeMultipart report = new DeliveryReport();
        report.addBodyPart(explanation(mail, recipients, overCap));
        report.addBodyPart(part("message/delivery-status", deliveryStatus(recipients, overCap)));
        if (attachHeaders) {
            report.addBodyPart(part(
                    "text/rfc822-headers",
                    String.join(CRLF, Collections.list(mail.getMessage().getAllHeaderLines())) + CRLF));
        }
        MimeMessage dsn = new MimeMessage(Session.getInstance(new Properties()));
        dsn.setFrom("MAILER-DAEMON@" + reportingMta);
        dsn.setRecipients(Message.RecipientType.TO, mail.getMaybeSender().asString());
        dsn.setSubject("Undelivered Mail Returned to Sender");
        dsn.setHeader("Auto-Submitted", "auto-replied");
        dsn.setSentDate(new Date());
        dsn.setContent(report);
        dsn.saveChanges();
        return dsn;
    }

    private MimeBodyPart explanation(Mail mail, List<MailAddress> recipients, OverCap overCap)
            throws MessagingException {
        StringBuilder text = new StringBuilder()
                .append("This is the mail server at ")
                .append(reportingMta)
                .append(".")
                .append(CRLF)
                .append(CRLF)
                .append("Your message was not delivered to anyone: ")
                .append(overCap.reason())
                .append(" (")
                .append(overCap.status())
                .append(").")
                .append(CRLF)
                .append(CRLF);
        Optional.ofNullable(mail.getMessage().getSubject())
                .ifPresent(subject -> text.append("Subject: ").append(subject).append(CRLF));
        text.append("Recipients:").append(CRLF);
        recipients.forEach(
                recipient -> text.append("  ").append(recipient.asString()).append(CRLF));
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text.toString(), UTF_8.name());
        return part;
    }

    private String deliveryStatus(List<MailAddress> recipients, OverCap overCap) {
        StringBuilder fields = new StringBuilder()
                .append("Reporting-MTA: dns; ")
                .append(reportingMta)
                .append(CRLF);
        for (MailAddress recipient : recipients) {
            fields.append(CRLF)
                    .append("Final-Recipient: rfc822; ")
                    .append(recipient.asString())
                    .append(CRLF)
                    .append("Action: failed")
                    .append(CRLF)
                    .append("Status: ")
                    .append(overCap.status())
                    .append(CRLF)
                    .append("Diagnostic-Code: ")
                    .append(overCap.diagnosticCode())
                    .append(CRLF);
        }
        return fields.toString();
    }

    /** A body part whose content is given as text, whatever its type (no JavaMail content handler needed). */
    private static MimeBodyPart part(String contentType, String content) throws MessagingException {
        InternetHeaders headers = new InternetHeaders();
        headers.setHeader("Content-Type", contentType);
        return new MimeBodyPart(headers, content.getBytes(UTF_8));
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public String getMailetInfo() {
        return "SMTP Shield: reject with a delivery status notification to the sender";
    }

    /** {@code multipart/report; report-type=delivery-status} (RFC 6522). */
    private static final class DeliveryReport extends MimeMultipart {
        DeliveryReport() throws MessagingException {
            super("report");
            ContentType type = new ContentType(contentType);
            type.setParameter("report-type", "delivery-status");
            contentType = type.toString();
        }
    }
}
