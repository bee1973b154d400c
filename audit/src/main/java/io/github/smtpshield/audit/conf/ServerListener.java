package io.github.smtpshield.audit.conf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * A TCP listener that one of James's protocol servers opens at start-up, as its XML file declares it (enabled ones
 * only).
 *
 * @param protocol {@code SMTP}, {@code LMTP}, {@code IMAP}, {@code POP3} or {@code ManageSieve}
 * @param name {@code <jmxName>}
 * @param bind one address of {@code <bind>}, placeholders resolved ({@code 0.0.0.0:2525})
 */
public record ServerListener(String protocol, String name, String bind) {

    /** The file of each protocol, the element of one server in it, and James's default name of one. */
    private static final Map<String, String[]> FILES = Map.of(
            "SMTP", new String[] {"smtpserver.xml", "smtpserver"},
            "LMTP", new String[] {"lmtpserver.xml", "lmtpserver"},
            "IMAP", new String[] {"imapserver.xml", "imapserver"},
            "POP3", new String[] {"pop3server.xml", "pop3server"},
            "ManageSieve", new String[] {"managesieveserver.xml", "managesieveserver"});

    /** Every enabled listener of the folder's files, file by file; a file that is not there declares none. */
    public static List<ServerListener> read(Path conf) throws UnreadableConfException {
        List<ServerListener> listeners = new ArrayList<>();
        for (String protocol : List.of("SMTP", "LMTP", "IMAP", "POP3", "ManageSieve")) {
            String[] file = FILES.get(protocol);
            Path path = conf.resolve(file[0]);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            for (Element server : ConfXml.children(ConfXml.root(path), file[1])) {
                if (!ConfXml.bool(ConfXml.attribute(server, "enabled"), true)) {
                    continue;
                }
                String name = ConfXml.text(server, "jmxName").orElse(file[1]);
                for (String bind : ConfXml.text(server, "bind").orElse("").split(",")) {
                    if (!bind.isBlank()) {
                        listeners.add(new ServerListener(protocol, name, bind.strip()));
                    }
                }
            }
        }
        return listeners;
    }
}
