package io.github.smtpshield.audit.conf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.w3c.dom.Element;

/** The parts of James's {@code mailetcontainer.xml} that decide what may leave the server and how. */
public record MailetContainer(List<Mailet> mailets) {
    public static final String FILE = "mailetcontainer.xml";

    /** One {@code <mailet>} with its processor and parameters. */
    public record Mailet(String processor, String match, String className, Element element) {
        public boolean is(String simpleName) {
            return className.equals(simpleName) || className.equals("org.apache.james.transport.mailets." + simpleName);
        }

        public Optional<String> parameter(String name) {
            return ConfXml.text(element, name);
        }

        public boolean matchesEverything() {
            return match.isEmpty() || match.equals("All");
        }

        /** How the mailet is named in findings: {@code <processor state="relay"> <mailet match="All" class="...">}. */
        public String where() {
            return "<processor state=\"" + processor + "\"> <mailet match=\"" + match + "\" class=\"" + className
                    + "\">";
        }
    }

    public static MailetContainer read(Path file) throws UnreadableConfException {
        Element root = ConfXml.root(file);
        List<Mailet> mailets = new ArrayList<>();
        for (Element processors : ConfXml.children(root, "processors")) {
            for (Element processor : ConfXml.children(processors, "processor")) {
                String state = ConfXml.attribute(processor, "state").orElse("");
                for (Element mailet : ConfXml.children(processor, "mailet")) {
                    mailets.add(new Mailet(
                            state,
                            ConfXml.attribute(mailet, "match").orElse(""),
                            ConfXml.attribute(mailet, "class").orElse(""),
                            mailet));
                }
            }
        }
        return new MailetContainer(mailets);
    }

    public List<Mailet> remoteDeliveries() {
        return mailets.stream().filter(mailet -> mailet.is("RemoteDelivery")).toList();
    }

    /** The processors that hold a RemoteDelivery: mail that reaches them leaves the server. */
    private Set<String> relayProcessors() {
        return remoteDeliveries().stream().map(Mailet::processor).collect(Collectors.toSet());
    }

    /**
     * Where any mail, whoever sent it, is handed to remote delivery: a RemoteDelivery matching all mail in the
     * processors every mail goes through ({@code root}, {@code transport}), or a ToProcessor matching all mail
     * that sends it to a processor holding a RemoteDelivery.
     */
    public List<Mailet> unguardedRelayPaths() {
        Set<String> relayProcessors = relayProcessors();
        return mailets.stream()
                .filter(Mailet::matchesEverything)
                .filter(mailet -> (mailet.is("RemoteDelivery")
                                && Set.of("root", "transport").contains(mailet.processor()))
                        || (mailet.is("ToProcessor")
                                && mailet.parameter("processor")
                                        .filter(relayProcessors::contains)
                                        .isPresent()
                                && !relayProcessors.contains(mailet.processor())))
                .toList();
    }
}
