package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.ConfProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The checklist's item on James's management API: WebAdmin beyond localhost without authentication. */
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
