package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.ConfProperties;
import io.github.smtpshield.audit.conf.SmtpListener;
import io.github.smtpshield.policy.config.ShieldConfig;
import io.github.smtpshield.policy.config.ShieldConfigException;
import io.github.smtpshield.policy.config.ShieldConfigParser;
import io.github.smtpshield.policy.net.NetworkSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The checklist's items on the shield itself: its policy file (and whether James loads the shield), which listeners
 * it guards, its exemptions. The per-rule items are {@link RuleChecks}.
 */
final class PolicyItems {
    static final String FILE = "smtpshield.xml";
    static final String EXTENSIONS = "extensions.properties";
    static final String SHIELD_MODULE = "io.github.smtpshield.james.ShieldModule";
    private static final String POLICY = "SMTP Shield policy";

    private PolicyItems() {}

    /** The policy of {@code conf}, or empty (with its WARN or FAIL) when there is none James would accept. */
    static Optional<ShieldConfig> policy(Path conf, Findings findings) {
        Path file = conf.resolve(FILE);
        if (!Files.exists(file)) {
            findings.add(
                    Verdict.WARN,
                    POLICY,
                    "no smtpshield.xml: the per-IP limits, session limits and DNS checks are all off",
                    FILE,
                    "<smtpshield>");
            return Optional.empty();
        }
        try {
            ShieldConfig policy = ShieldConfigParser.parse(file);
            if (!extensionsLoadShield(conf)) {
                findings.add(
                        Verdict.WARN,
                        POLICY,
                        "smtpshield.xml is there but James does not load the shield: its limits are off;"
                                + " add guice.extension.module=" + SHIELD_MODULE,
                        EXTENSIONS,
                        "guice.extension.module");
            }
            return Optional.of(policy);
        } catch (ShieldConfigException e) {
            findings.add(Verdict.FAIL, POLICY, "James will refuse to start: " + e.getMessage(), FILE, "<smtpshield>");
            return Optional.empty();
        }
    }

    private static boolean extensionsLoadShield(Path conf) {
        return ConfProperties.read(conf.resolve(EXTENSIONS))
                .map(p -> p.get("guice.extension.module", ""))
                .orElse("")
                .contains(SHIELD_MODULE);
    }

    static void shieldGuards(List<SmtpListener> listeners, Findings findings) {
        String item = "SMTP Shield guards the public listener";
        String element = "<smtpserver> <handlerchain coreHandlersPackage>";
        List<String> guarded = listeners.stream()
                .filter(SmtpListener::guardedByShield)
                .map(SmtpListener::name)
                .toList();
        if (guarded.isEmpty()) {
            findings.add(
                    Verdict.WARN,
                    item,
                    "no listener runs the shield's handlers: the per-IP and session limits apply nowhere;"
                            + " set coreHandlersPackage=\"" + SmtpListener.SHIELD_CORE_HANDLERS
                            + "\" on the port-25 listener",
                    SmtpListener.FILE,
                    element);
        } else {
            findings.add(Verdict.OK, item, "guarded: " + String.join(", ", guarded), SmtpListener.FILE, element);
        }
    }

    static void exemptions(ShieldConfig policy, Findings findings) {
        String item = "exempt networks";
        NetworkSet networks = policy.exempt().networks();
        if (networks.coversEverything()) {
            findings.add(
                    Verdict.FAIL,
                    item,
                    "'" + networks + "' covers every " + (networks.coversAllIpv4() ? "IPv4" : "IPv6")
                            + " address: no client is ever limited; list only your own networks",
                    FILE,
                    "<exempt><networks>");
        } else {
            findings.add(
                    Verdict.OK,
                    item,
                    networks.ranges().isEmpty() ? "none" : networks.toString(),
                    FILE,
                    "<exempt><networks>");
        }
    }
}
