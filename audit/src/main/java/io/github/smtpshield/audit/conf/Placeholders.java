package io.github.smtpshield.audit.conf;

import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookupFactory;

/**
 * James's configuration loader (commons-configuration) replaces {@code ${sys:name}} with a system property and
 * {@code ${env:NAME}} with an environment variable in every value it hands out, and leaves a placeholder it cannot
 * resolve as it is; values read here go through the same substitution (commons-text, as commons-configuration
 * does), so {@code 0.0.0.0:${sys:james.smtp.port}} reads as the address the server binds.
 */
final class Placeholders {
    private static final StringSubstitutor SYSTEM_AND_ENVIRONMENT =
            new StringSubstitutor(StringLookupFactory.INSTANCE.interpolatorStringLookup(
                    Map.of(
                            "sys", StringLookupFactory.INSTANCE.systemPropertyStringLookup(),
                            "env", StringLookupFactory.INSTANCE.environmentVariableStringLookup()),
                    null,
                    false));

    private Placeholders() {}

    static String resolve(String value) {
        return SYSTEM_AND_ENVIRONMENT.replace(value);
    }
}
