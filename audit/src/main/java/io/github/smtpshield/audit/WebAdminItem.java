package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.ConfProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The checklist's items on James's management API: WebAdmin beyond localhost without authentication (FAIL), and
 * WebAdmin without authentication at all (WARN: on localhost, every local user and process can drive it).
 */
final class WebAdminItem {
    private static final String WEBADMIN = "webadmin.properties";

    private WebAdminItem() {}

    static void webAdmin(Path conf, Findings findings) {
        String item = "WebAdmin beyond localhost without authentication";
        Optional<ConfProperties> webAdmin = ConfProperties.read(conf.resolve(WEBADMIN));
        if (!webAdmin.map(p -> p.bool("enabled", false)).orElse(false)) {
            findings.add(Verdict.OK, item, "WebAdmin is off", WEBADMIN, "enabled");
            return;
        }
        String host = webAdmin.get().get("host", "localhost");
        boolean jwt = webAdmin.get().bool("jwt.enabled", false);
        authentication(jwt, findings);
        if (isLoopback(host)) {
            findings.add(Verdict.OK, item, "listens on " + host + " only", WEBADMIN, "host");
        } else if (jwt) {
            findings.add(Verdict.OK, item, "listens on " + host + ", JWT authentication on", WEBADMIN, "jwt.enabled");
        } else {
            findings.add(
                    Verdict.FAIL,
                    item,
                    "listens on " + host + " with no authentication: anyone who reaches it can create users and"
                            + " read mail; set host=localhost, or jwt.enabled=true",
                    WEBADMIN,
                    "host");
        }
    }

    private static void authentication(boolean jwt, Findings findings) {
        String item = "WebAdmin authentication";
        if (jwt) {
            findings.add(Verdict.OK, item, "JWT: every request needs an admin token", WEBADMIN, "jwt.enabled");
        } else {
            findings.add(
                    Verdict.WARN,
                    item,
                    "none: every local user and process can create users and read mail through WebAdmin; start once"
                            + " with WEBADMIN_JWT=true (bin/smtp-shield token prints a token), or set jwt.enabled=true"
                            + " and jwt.publickeypem.url",
                    WEBADMIN,
                    "jwt.enabled");
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
}
