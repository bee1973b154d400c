package io.github.smtpshield.e2e.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One generated hostile SMTP session: what a broken or malicious client writes, burst by burst, and how it leaves.
 * A session is a pure function of its seed ({@link #generate}), so a failure is replayed from the seed alone.
 *
 * <p>What it mixes: valid commands in any order (so mis-ordered ones), unknown verbs, malformed and over-long
 * addresses, lines over 1,000 octets and (rarely) over 64 KB, NUL bytes, bare LF and bare CR, 8-bit junk, pipelined
 * bursts, DATA cut off, STARTTLS followed by data in clear, and three ways to leave: a polite end, a close (FIN) or a
 * reset (RST) in the middle of a command.
 */
record HostileSession(long seed, List<byte[]> bursts, Ending ending, boolean startTls) {

    /** How the client leaves. */
    enum Ending {
        /** Ends any DATA, sends QUIT, and reads until the server closes. */
        QUIT,
        /** Closes its socket (FIN) in the middle of whatever it was sending. */
        CLOSE,
        /** Resets the connection (RST) in the middle of whatever it was sending. */
        RESET
    }

    /** The bytes that end a session politely whatever state the server is in: ends a DATA, then QUIT. */
    static final byte[] POLITE_END = "\r\n.\r\nQUIT\r\n".getBytes(ISO_8859_1);

    /** A known user, an unknown user in a local domain, a remote domain (relay denied). */
    static final String KNOWN_USER = "fuzz@localhost";

    private static final String[] VERBS = {
        "EHLO",
        "HELO",
        "MAIL FROM:",
        "RCPT TO:",
        "DATA",
        "RSET",
        "NOOP",
        "VRFY",
        "EXPN",
        "HELP",
        "AUTH PLAIN",
        "AUTH LOGIN",
        "BDAT",
        "ETRN",
        "TURN",
        "STARTTLS"
    };

    static HostileSession generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> bursts = new ArrayList<>();
        boolean startTls = false;
        int burstCount = 1 + random.nextInt(4);
        for (int b = 0; b < burstCount; b++) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            // Pipelined: several lines in one write.
            int lines = random.nextInt(10) < 7 ? 1 + random.nextInt(3) : 4 + random.nextInt(12);
            for (int l = 0; l < lines; l++) {
                int kind = random.nextInt(100);
                if (kind < 40) {
                    burst.writeBytes(line(validCommand(random), random));
                } else if (kind < 50) {
                    burst.writeBytes(line(unknownVerb(random), random));
                } else if (kind < 62) {
                    burst.writeBytes(line(
                            (random.nextBoolean() ? "MAIL FROM:" : "RCPT TO:") + malformedAddress(random), random));
                } else if (kind < 68) {
                    burst.writeBytes(line(junkLine(random), random));
                } else if (kind < 74) {
                    burst.writeBytes(line("NOOP " + "x".repeat(1001 + random.nextInt(4000)), random));
                } else if (kind < 75) {
                    burst.writeBytes(line("X".repeat(65 * 1024 + random.nextInt(4096)), random));
                } else if (kind < 84) {
                    burst.writeBytes(message(random));
                } else if (kind < 90) {
                    // Mis-ordered on purpose: a RCPT or DATA with no MAIL, a second MAIL, HELO after MAIL ...
                    burst.writeBytes(line(VERBS[random.nextInt(VERBS.length - 1)], random));
                } else if (kind < 92) {
                    startTls = true;
                    burst.writeBytes("STARTTLS\r\n".getBytes(ISO_8859_1));
                    // RFC 3207 forbids anything after STARTTLS before the handshake: James answers 451 (trap 12).
                    burst.writeBytes(line(validCommand(random), random));
                } else {
                    burst.writeBytes(line(validCommand(random), random));
                }
            }
            bursts.add(burst.toByteArray());
        }
        int end = random.nextInt(10);
        Ending ending = end < 6 ? Ending.QUIT : end < 8 ? Ending.CLOSE : Ending.RESET;
        if (ending != Ending.QUIT) {
            // Vanishes mid-command or mid-DATA: a line without its end.
            String cut = random.nextBoolean()
                    ? "DATA\r\nSubject: cut\r\n\r\nthe client vanished in the middle of"
                    : "RCPT TO:<someb";
            bursts.add(cut.getBytes(ISO_8859_1));
        }
        return new HostileSession(seed, List.copyOf(bursts), ending, startTls);
    }

    private static String validCommand(SplittableRandom random) {
        return switch (random.nextInt(9)) {
            case 0 -> "EHLO client" + random.nextInt(100) + ".test";
            case 1 -> "HELO client.test";
            case 2 -> "MAIL FROM:<sender" + random.nextInt(10) + "@example.com>";
            case 3 -> "MAIL FROM:<sender@example.com> SIZE=" + random.nextLong(200_000);
            case 4 -> "RCPT TO:<" + recipient(random) + ">";
            case 5 -> "RSET";
            case 6 -> "NOOP";
            case 7 -> "MAIL FROM:<>";
            default -> "VRFY " + recipient(random);
        };
    }

    private static String recipient(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> KNOWN_USER;
            case 2 -> "nobody" + random.nextInt(50) + "@localhost";
            default -> "someone@remote.example.com";
        };
    }

    private static String unknownVerb(SplittableRandom random) {
        StringBuilder verb = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            verb.append((char) ('A' + random.nextInt(26)));
        }
        return random.nextBoolean()
                ? verb.toString()
                : verb + " " + verb.toString().toLowerCase(Locale.ROOT);
    }

    private static String malformedAddress(SplittableRandom random) {
        return switch (random.nextInt(14)) {
            case 0 -> "";
            case 1 -> "<>>";
            case 2 -> "<<a@b.test>>";
            case 3 -> "a@b.test";
            case 4 -> "<a@@b.test>";
            case 5 -> "<a b@c.test>";
            case 6 -> "<@route,@x:a@b.test>";
            case 7 -> "<" + "l".repeat(65 + random.nextInt(1000)) + "@localhost>";
            case 8 -> "<a@" + "d".repeat(256 + random.nextInt(1000)) + ".test>";
            case 9 -> "<\"quoted \\\" local\"@localhost>";
            case 10 -> "<a@[999.1.1.1]>";
            case 11 -> "<a@[IPv6:::::1]>";
            case 12 -> "<fuzz@localhost> SIZE=-1 BODY=8BITMIME FOO=" + "z".repeat(random.nextInt(300));
            default -> "<a@b.test";
        };
    }

    /** A line of junk: 8-bit bytes, NULs, control characters, stray CR and LF. */
    private static String junkLine(SplittableRandom random) {
        StringBuilder junk = new StringBuilder();
        int length = random.nextInt(200);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            junk.append(
                    pick == 0
                            ? '\0'
                            : pick < 4
                                    ? (char) (0x80 + random.nextInt(0x80))
                                    : pick < 5 ? (char) random.nextInt(0x20) : (char) (0x20 + random.nextInt(0x5F)));
        }
        return junk.toString();
    }

    /** A whole transaction, its message small, over the size limit, or with dot-stuffing and bare line ends. */
    private static byte[] message(SplittableRandom random) {
        StringBuilder text =
                new StringBuilder("MAIL FROM:<sender@example.com>\r\nRCPT TO:<" + recipient(random) + ">\r\n");
        text.append("DATA\r\nSubject: fuzz ").append(random.nextInt()).append("\r\n\r\n");
        int body = random.nextInt(10);
        if (body == 0) {
            text.append("y".repeat(70).concat("\r\n").repeat(1000)); // over a 64K limit
        } else if (body == 1) {
            text.append("..dot\r\n.\r\n.x\r\nbare LF\nbare CR\rend\r\n\0NUL\r\n");
        } else {
            text.append("hello\r\n");
        }
        return text.append(".\r\n").toString().getBytes(ISO_8859_1);
    }

    /** A command and its line end: CRLF mostly, sometimes a bare LF, a bare CR, or a NUL within. */
    private static byte[] line(String command, SplittableRandom random) {
        int style = random.nextInt(20);
        String text = style == 0
                ? command + "\n"
                : style == 1
                        ? command + "\r" + (random.nextBoolean() ? "\r\n" : "")
                        : style == 2
                                ? command.substring(0, command.length() / 2) + "\0"
                                        + command.substring(command.length() / 2) + "\r\n"
                                : command + "\r\n";
        return text.getBytes(ISO_8859_1);
    }

    int size() {
        return bursts.stream().mapToInt(burst -> burst.length).sum();
    }

    /** A readable excerpt of what the session sends, for failure messages. */
    String describe() {
        StringBuilder text = new StringBuilder(
                "seed " + seed + ", " + bursts.size() + " bursts, " + size() + " bytes, ends with " + ending + ":");
        for (byte[] burst : bursts) {
            String shown = new String(burst, ISO_8859_1)
                    .replace("\r", "\\r")
                    .replace("\n", "\\n")
                    .replace("\0", "\\0");
            text.append("\n  > ")
                    .append(
                            shown.length() > 300
                                    ? shown.substring(0, 300) + "... (" + shown.length() + " chars)"
                                    : shown);
        }
        return text.toString();
    }
}
