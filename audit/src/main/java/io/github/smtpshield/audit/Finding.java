package io.github.smtpshield.audit;

import java.util.Objects;

/**
 * One line of the audit: an item of the Kerio checklist, how it stands, and where to change it.
 *
 * @param verdict OK, WARN or FAIL
 * @param item    the checklist item, in Kerio's words where Kerio has words ("open relay")
 * @param detail  what was found, and for WARN and FAIL what to do
 * @param file    the configuration file to change ({@code smtpserver.xml})
 * @param element the element or key in it ({@code <smtpserver> 'smtpserver-global' <authorizedAddresses>})
 */
public record Finding(Verdict verdict, String item, String detail, String file, String element) {

    public Finding {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(element, "element");
    }

    /** {@code FAIL open relay: ... [smtpserver.xml <smtpserver> 'smtpserver-global' <authorizedAddresses>]} */
    public String line() {
        return String.format("%-4s %s: %s [%s %s]", verdict, item, detail, file, element);
    }

    @Override
    public String toString() {
        return line();
    }
}
