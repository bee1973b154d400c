package io.github.smtpshield.policy.audit;

import io.github.smtpshield.policy.config.Check;
import io.github.smtpshield.policy.config.HarvestLimit;
import io.github.smtpshield.policy.config.Limit;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.config.RuleSettings;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.ShieldConfigException;
import io.github.smtpshield.policy.config.ShieldConfigParser;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.net.JamesAddressList;
import io.github.smtpshield.policy.net.NetworkSet;
import io.github.smtpshield.policy.rules.MessageSizeLimit;
import io.github.smtpshield.policy.rules.Rules;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Audits a James configuration folder against Kerio Connect's SMTP security checklist: one {@link Finding} per item
 * (per listener, per RemoteDelivery where it applies), OK, WARN or FAIL, naming the file and element to change.
 * It reads {@code smtpserver.xml} and {@code mailetcontainer.xml} (both required), {@code smtpshield.xml},
 * {@code webadmin.properties} and {@code extensions.properties}, and changes nothing.
 *
 * <p>FAIL is kept for what opens the server to abuse: an open relay, mail for remote domains sent on without
 * authentication, passwords accepted in clear, exemptions covering every address, WebAdmin on the network without
 * authentication, a policy file James would refuse. A protection that is off or only observing is a WARN.
 */
public final class KerioAudit {
    static final String SMTPSERVER = "smtpserver.xml";
    static final String MAILETCONTAINER = "mailetcontainer.xml";
    static final String SHIELD = "smtpshield.xml";
    static final String WEBADMIN = "webadmin.properties";
    static final String EXTENSIONS = "extensions.properties";
    static final String SHIELD_MODULE = "io.github.smtpshield.james.ShieldModule";

    private static final NetworkSet LOCAL_AND_PRIVATE = NetworkSet.parse(
            "127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16, ::1/128, fc00::/7, fe80::/10");

    private final Path conf;
    private final List<Finding> findings = new ArrayList<>();

    private KerioAudit(Path conf) {
        this.conf = conf;
    }

    /** The checklist for the conf folder {@code conf}, in a fixed order. */
    public static List<Finding> of(Path conf) throws UnreadableConfException {
        if (!Files.isDirectory(conf) || !Files.isReadable(conf)) {
            throw new UnreadableConfException(conf + ": not a readable folder");
        }
        for (String required : List.of(SMTPSERVER, MAILETCONTAINER)) {
            if (!Files.isReadable(conf.resolve(required))) {
                throw new UnreadableConfException(
                        conf.resolve(required) + ": cannot read file (is " + conf + " a James conf folder?)");
            }
        }
        KerioAudit audit = new KerioAudit(conf);
        audit.run();
        return List.copyOf(audit.findings);
    }

    /** 0 with no FAIL, 1 otherwise (the command's exit status; 2, unreadable, is the caller's). */
    public static int exitStatus(List<Finding> findings) {
        return findings.stream().anyMatch(finding -> finding.verdict() == Verdict.FAIL) ? 1 : 0;
    }

    private void run() throws UnreadableConfException {
        List<SmtpListener> listeners = SmtpListener.read(conf.resolve(SMTPSERVER));
        MailetContainer mailets = MailetContainer.read(conf.resolve(MAILETCONTAINER));
        Optional<ShieldConfig> policy = policy();

        listeners.forEach(this::openRelay);
        listeners.forEach(this::relayForOutsiders);
        relayInMailetContainer(mailets);
        listeners.forEach(this::authWithoutTls);
        shieldGuards(listeners);
        policy.ifPresent(this::exemptions);
        ruleItems(policy, listeners);
        outboundTls(mailets);
        sharedQueues(mailets);
        webAdmin();
    }

    private void add(Verdict verdict, String item, String detail, String file, String element) {
        findings.add(new Finding(verdict, item, detail, file, element));
    }

    // --- relay -------------------------------------------------------------------------------------------------

    private void openRelay(SmtpListener listener) {
        String item = "open relay";
        String element = listener.element() + " <authorizedAddresses>";
        if (JamesAddressList.parse(listener.authorizedAddresses()).coversEverything()) {
            add(
                    Verdict.FAIL,
                    item,
                    "'" + listener.authorizedAddresses() + "' lets every address relay without authentication;"
                            + " list only your own networks (for example 127.0.0.0/8)",
                    SMTPSERVER,
                    element);
        } else {
            add(
                    Verdict.OK,
                    item,
                    listener.name() + " (" + listener.bind() + ") relays only for authenticated users"
                            + (listener.authorizedAddresses().isBlank()
                                    ? ""
                                    : " and '" + listener.authorizedAddresses() + "'"),
                    SMTPSERVER,
                    element);
        }
    }

    private void relayForOutsiders(SmtpListener listener) {
        String item = "relay without authentication";
        String element = listener.element() + " <authorizedAddresses>";
        NetworkSet authorized = JamesAddressList.parse(listener.authorizedAddresses());
        if (authorized.coversEverything()) {
            return; // reported as an open relay
        }
        List<IpPrefix> publicRanges = authorized.ranges().stream()
                .filter(range -> !withinLocalOrPrivate(range))
                .toList();
        if (authorized.ranges().isEmpty()) {
            add(Verdict.OK, item, listener.name() + ": nobody relays without authentication", SMTPSERVER, element);
        } else if (publicRanges.isEmpty()) {
            add(
                    Verdict.OK,
                    item,
                    listener.name() + ": only loopback or private networks relay without authentication",
                    SMTPSERVER,
                    element);
        } else {
            add(
                    Verdict.WARN,
                    item,
                    listener.name() + ": public networks relay without authentication: " + NetworkSet.of(publicRanges)
                            + "; make sure they are yours, or remove them and let those clients authenticate",
                    SMTPSERVER,
                    element);
        }
    }

    private static boolean withinLocalOrPrivate(IpPrefix range) {
        return LOCAL_AND_PRIVATE.ranges().stream().anyMatch(privateRange -> privateRange.contains(range));
    }

    private void relayInMailetContainer(MailetContainer mailets) {
        String item = "relay without authentication";
        List<MailetContainer.Mailet> unguarded = mailets.unguardedRelayPaths();
        if (unguarded.isEmpty()) {
            add(
                    Verdict.OK,
                    item,
                    "mail reaches RemoteDelivery only through a matcher (such as SMTPAuthSuccessful, SMTPIsAuthNetwork)",
                    MAILETCONTAINER,
                    mailets.remoteDeliveries().isEmpty() ? "<processors>" : "<processor state=\"transport\">");
        }
        for (MailetContainer.Mailet mailet : unguarded) {
            add(
                    Verdict.FAIL,
                    item,
                    "all mail, authenticated or not, goes to remote delivery; match it with SMTPAuthSuccessful,"
                            + " SMTPIsAuthNetwork (as the shipped relay-allowed matcher does) and send the rest to a bouncing processor",
                    MAILETCONTAINER,
                    mailet.where());
        }
    }

    private void authWithoutTls(SmtpListener listener) {
        String item = "AUTH offered without TLS";
        String element = listener.element() + " <auth><requireSSL>";
        if (!listener.authAnnounced()) {
            add(Verdict.OK, item, listener.name() + " offers no AUTH", SMTPSERVER, element);
        } else if (listener.socketTls()) {
            add(Verdict.OK, item, listener.name() + " speaks TLS from the first byte", SMTPSERVER, element);
        } else if (listener.authRequiresTls()) {
            add(Verdict.OK, item, listener.name() + " offers AUTH only after STARTTLS", SMTPSERVER, element);
        } else {
            add(
                    Verdict.FAIL,
                    item,
                    listener.name() + " offers AUTH before STARTTLS: passwords cross the network in clear;"
                            + " set <requireSSL>true</requireSSL>",
                    SMTPSERVER,
                    element);
        }
    }

    // --- the shield's policy ---------------------------------------------------------------------------------------

    private Optional<ShieldConfig> policy() {
        Path file = conf.resolve(SHIELD);
        if (!Files.exists(file)) {
            add(
                    Verdict.WARN,
                    "SMTP Shield policy",
                    "no smtpshield.xml: the per-IP limits, session limits and DNS checks are all off",
                    SHIELD,
                    "<smtpshield>");
            return Optional.empty();
        }
        try {
            ShieldConfig policy = ShieldConfigParser.parse(file);
            if (!extensionsLoadShield()) {
                add(
                        Verdict.WARN,
                        "SMTP Shield policy",
                        "smtpshield.xml is there but James does not load the shield: its limits are off;"
                                + " add guice.extension.module=" + SHIELD_MODULE,
                        EXTENSIONS,
                        "guice.extension.module");
            }
            return Optional.of(policy);
        } catch (ShieldConfigException e) {
            add(
                    Verdict.FAIL,
                    "SMTP Shield policy",
                    "James will refuse to start: " + e.getMessage(),
                    SHIELD,
                    "<smtpshield>");
            return Optional.empty();
        }
    }

    private boolean extensionsLoadShield() {
        return properties(EXTENSIONS)
                .map(p -> p.getProperty("guice.extension.module", ""))
                .orElse("")
                .contains(SHIELD_MODULE);
    }

    private void shieldGuards(List<SmtpListener> listeners) {
        String item = "SMTP Shield guards the public listener";
        List<String> guarded = listeners.stream()
                .filter(SmtpListener::guardedByShield)
                .map(SmtpListener::name)
                .toList();
        if (guarded.isEmpty()) {
            add(
                    Verdict.WARN,
                    item,
                    "no listener runs the shield's handlers: the per-IP and session limits apply nowhere;"
                            + " set coreHandlersPackage=\"" + SmtpListener.SHIELD_CORE_HANDLERS
                            + "\" on the port-25 listener",
                    SMTPSERVER,
                    "<smtpserver> <handlerchain coreHandlersPackage>");
        } else {
            add(
                    Verdict.OK,
                    item,
                    "guarded: " + String.join(", ", guarded),
                    SMTPSERVER,
                    "<smtpserver> <handlerchain coreHandlersPackage>");
        }
    }

    private void exemptions(ShieldConfig policy) {
        String item = "exempt networks";
        NetworkSet networks = policy.exempt().networks();
        if (networks.coversEverything()) {
            add(
                    Verdict.FAIL,
                    item,
                    "'" + networks + "' covers every " + (networks.coversAllIpv4() ? "IPv4" : "IPv6")
                            + " address: no client is ever limited; list only your own networks",
                    SHIELD,
                    "<exempt><networks>");
        } else {
            add(
                    Verdict.OK,
                    item,
                    networks.ranges().isEmpty() ? "none" : networks.toString(),
                    SHIELD,
                    "<exempt><networks>");
        }
    }

    /** One item per rule of the registry: on, off, or only observing. */
    private void ruleItems(Optional<ShieldConfig> policy, List<SmtpListener> listeners) {
        for (RuleElement<?> element : Rules.elements()) {
            if (element.equals(MessageSizeLimit.ELEMENT)) {
                // James's own <maxmessagesize> may stand in for the shield's.
                sizeLimit(policy, listeners);
                continue;
            }
            RuleSettings settings =
                    policy.<RuleSettings>map(p -> p.rule(element)).orElse(element.off());
            String item = element.title();
            String path = element.path();
            if (settings instanceof Check check) {
                check(item, path, check);
            } else if (settings instanceof HarvestLimit harvest) {
                limit(item, path, new Limit(harvest.value(), harvest.mode()));
            } else if (settings instanceof Limit limit) {
                limit(item, path, limit);
            }
        }
    }

    private void limit(String item, String element, Limit limit) {
        if (!limit.enabled()) {
            add(Verdict.WARN, item, "off; set a limit", SHIELD, element);
        } else if (limit.mode() == Mode.OBSERVE) {
            add(
                    Verdict.WARN,
                    item,
                    limit.value() + " in observe mode: logged, not enforced; remove mode=\"observe\" to enforce it",
                    SHIELD,
                    element);
        } else {
            add(Verdict.OK, item, String.valueOf(limit.value()), SHIELD, element);
        }
    }

    private void sizeLimit(Optional<ShieldConfig> policy, List<SmtpListener> listeners) {
        String item = "max message size";
        Limit shieldLimit = policy.map(p -> p.rule(MessageSizeLimit.ELEMENT)).orElse(Limit.off());
        if (shieldLimit.enabled() && shieldLimit.mode() == Mode.ENFORCE) {
            add(Verdict.OK, item, shieldLimit.value() + " bytes", SHIELD, "<session><maxMessageSize>");
            return;
        }
        List<String> unlimited = listeners.stream()
                .filter(listener -> listener.maxMessageSize() == 0)
                .map(SmtpListener::name)
                .toList();
        if (unlimited.isEmpty()) {
            add(Verdict.OK, item, "every listener has a <maxmessagesize>", SMTPSERVER, "<smtpserver> <maxmessagesize>");
        } else {
            add(
                    Verdict.WARN,
                    item,
                    "no size limit" + (shieldLimit.enabled() ? " enforced (observe mode)" : "") + " on "
                            + String.join(", ", unlimited) + "; set one (for example 25M)",
                    SHIELD,
                    "<session><maxMessageSize>");
        }
    }

    private void check(String item, String element, Check check) {
        if (!check.enabled()) {
            add(Verdict.WARN, item, "off; set it to true", SHIELD, element);
        } else if (check.mode() == Mode.OBSERVE) {
            add(Verdict.WARN, item, "observe mode: logged, not enforced", SHIELD, element);
        } else {
            add(Verdict.OK, item, "on", SHIELD, element);
        }
    }

    // --- outbound -------------------------------------------------------------------------------------------------

    private void outboundTls(MailetContainer mailets) {
        String item = "outbound STARTTLS (use SSL/TLS if supported by the remote server)";
        if (mailets.remoteDeliveries().isEmpty()) {
            add(Verdict.OK, item, "no RemoteDelivery: this server sends no mail out", MAILETCONTAINER, "<processors>");
        }
        for (MailetContainer.Mailet delivery : mailets.remoteDeliveries()) {
            boolean startTls =
                    delivery.parameter("startTLS").map(Boolean::parseBoolean).orElse(false);
            boolean smtps =
                    delivery.parameter("sslEnable").map(Boolean::parseBoolean).orElse(false);
            boolean verifies = delivery.parameter("verifyServerIdentity")
                    .map(Boolean::parseBoolean)
                    .orElse(true);
            boolean trustsAny = delivery.parameter("mail.smtp.ssl.trust")
                    .map(String::strip)
                    .filter("*"::equals)
                    .isPresent();
            if (smtps) {
                add(
                        Verdict.OK,
                        item,
                        "SMTPS (TLS from the first byte)",
                        MAILETCONTAINER,
                        delivery.where() + " <sslEnable>");
            } else if (!startTls) {
                add(
                        Verdict.WARN,
                        item,
                        "off: mail goes out in clear even to servers that offer STARTTLS; set <startTLS>true</startTLS>,"
                                + " <mail.smtp.ssl.trust>*</mail.smtp.ssl.trust>, <verifyServerIdentity>false</verifyServerIdentity>",
                        MAILETCONTAINER,
                        delivery.where() + " <startTLS>");
            } else if (verifies && !trustsAny) {
                add(
                        Verdict.WARN,
                        item,
                        "on, but the remote certificate must be valid for its name: mail to the many MXes with a"
                                + " self-signed certificate is deferred, never sent; for opportunistic TLS add"
                                + " <mail.smtp.ssl.trust>*</mail.smtp.ssl.trust> and <verifyServerIdentity>false</verifyServerIdentity>",
                        MAILETCONTAINER,
                        delivery.where() + " <verifyServerIdentity>");
            } else {
                boolean required = delivery.parameter("mail.smtp.starttls.required")
                        .map(Boolean::parseBoolean)
                        .orElse(false);
                add(
                        Verdict.OK,
                        item,
                        required ? "STARTTLS required (never in clear)" : "STARTTLS whenever the remote offers it",
                        MAILETCONTAINER,
                        delivery.where() + " <startTLS>");
            }
        }
    }

    /**
     * James's RemoteDelivery reads its queue name from {@code <outgoing>} (default {@code outgoing}); two of them on one
     * queue each deliver the other's mail with their own settings, so mail meant for a require-TLS delivery can leave
     * through an opportunistic one, in clear.
     */
    private void sharedQueues(MailetContainer mailets) {
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
                add(
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
                add(
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

    // --- WebAdmin ---------------------------------------------------------------------------------------------------

    private void webAdmin() {
        String item = "WebAdmin beyond localhost without authentication";
        Optional<Properties> webAdmin = properties(WEBADMIN);
        boolean enabled = webAdmin.map(p ->
                        Boolean.parseBoolean(p.getProperty("enabled", "false").strip()))
                .orElse(false);
        if (!enabled) {
            add(Verdict.OK, item, "WebAdmin is off", WEBADMIN, "enabled");
            return;
        }
        String host = webAdmin.get().getProperty("host", "localhost").strip();
        boolean jwt = Boolean.parseBoolean(
                webAdmin.get().getProperty("jwt.enabled", "false").strip());
        if (isLoopback(host)) {
            add(Verdict.OK, item, "listens on " + host + " only", WEBADMIN, "host");
        } else if (jwt) {
            add(Verdict.OK, item, "listens on " + host + ", JWT authentication on", WEBADMIN, "jwt.enabled");
        } else {
            add(
                    Verdict.FAIL,
                    item,
                    "listens on " + host + " with no authentication: anyone who reaches it can create users and"
                            + " read mail; set host=localhost, or jwt.enabled=true",
                    WEBADMIN,
                    "host");
        }
    }

    private static boolean isLoopback(String host) {
        String bare = host.toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
        if (bare.equals("localhost")) {
            return true;
        }
        try {
            return (bare.matches("[0-9.]+") || bare.contains(":"))
                    && InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private Optional<Properties> properties(String name) {
        Path file = conf.resolve(name);
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Properties properties = new Properties();
            properties.load(reader);
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
