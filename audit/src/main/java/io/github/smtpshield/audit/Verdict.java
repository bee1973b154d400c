package io.github.smtpshield.audit;

/** How one item of the Kerio checklist stands. */
public enum Verdict {
    /** As Kerio recommends. */
    OK,
    /** A protection is off or only observing: a choice to make knowingly. */
    WARN,
    /** The server is open to abuse (open relay, passwords in clear, a management API open to the network). */
    FAIL
}
