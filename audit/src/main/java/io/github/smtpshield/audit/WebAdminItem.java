package io.github.smtpshield.audit;

import io.github.smtpshield.audit.conf.ConfProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The checklist's items on James's management API: WebAdmin beyond localhost without authentication (FAIL), WebAdmin
 * without authentication at all (WARN: on localhost, every local user and process can drive it), and WebAdmin open to
 * web pages of every origin (FAIL: any page in a browser on the host can drive it).
 */
final class WebAdminItem {
    private static final String WEBADMIN = "webadmin.properties";
    /** The shield's cross-origin policy (module webadmin), which James's WebAdmin needs among its routes. */
    private static final String CORS_POLICY = "io.github.smtpshield.webadmin.CorsPolicy";

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
        crossOrigin(webAdmin.get(), findings);
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

    private static void crossOrigin(ConfProperties webAdmin, Findings findings) {
        String item = "WebAdmin cross-origin requests";
        boolean guarded = Arrays.stream(webAdmin.get("extensions.routes", "").split(","))
                .map(String::strip)
                .anyMatch(CORS_POLICY::equals);
        String origin = webAdmin.get("cors.origin", "*");
        if (!guarded) {
            findings.add(
                    Verdict.FAIL,
                    item,
                    "James answers every origin (Access-Control-Allow-Origin: *): any web page open in a browser on"
                            + " this host can create users and reset passwords; list " + CORS_POLICY
                            + " in extensions.routes",
                    WEBADMIN,
                    "extensions.routes");
        } else if (webAdmin.bool("cors.enable", false) && (origin.isEmpty() || origin.equals("*"))) {
            findings.add(
                    Verdict.FAIL,
                    item,
                    "cors.origin=* would let every web page drive WebAdmin (the shield refuses it: no page may); name"
                            + " the one origin of your admin page, or set cors.enable=false",
                    WEBADMIN,
                    "cors.origin");
        } else if (webAdmin.bool("cors.enable", false)) {
            findings.add(Verdict.OK, item, "only pages of " + origin, WEBADMIN, "cors.origin");
        } else {
            findings.add(Verdict.OK, item, "no web page of another origin may call it", WEBADMIN, "cors.enable");
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
