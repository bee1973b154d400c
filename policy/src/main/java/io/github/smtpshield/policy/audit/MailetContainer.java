package io.github.smtpshield.policy.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.w3c.dom.Element;

/** The parts of James's {@code mailetcontainer.xml} that decide what may leave the server and how. */
record MailetContainer(List<Mailet> mailets) {

    /** One {@code <mailet>} with its processor and parameters. */
    record Mailet(String processor, String match, String className, Element element) {
        boolean is(String simpleName) {
            return className.equals(simpleName) || className.equals("org.apache.james.transport.mailets." + simpleName);
        }

        Optional<String> parameter(String name) {
            return XmlFile.text(element, name);
        }

        boolean matchesEverything() {
            return match.isEmpty() || match.equals("All");
        }

        String where() {
            return "<processor state=\"" + processor + "\"> <mailet match=\"" + match + "\" class=\"" + className
                    + "\">";
        }
    }

    static MailetContainer read(Path file) throws UnreadableConfException {
        Element root = XmlFile.root(file);
        List<Mailet> mailets = new ArrayList<>();
        for (Element processors : XmlFile.children(root, "processors")) {
            for (Element processor : XmlFile.children(processors, "processor")) {
                String state = processor.getAttribute("state");
                for (Element mailet : XmlFile.children(processor, "mailet")) {
                    mailets.add(new Mailet(
                            state,
                            mailet.getAttribute("match").strip(),
                            mailet.getAttribute("class").strip(),
                            mailet));
                }
            }
        }
        return new MailetContainer(mailets);
    }

    List<Mailet> remoteDeliveries() {
        return mailets.stream().filter(mailet -> mailet.is("RemoteDelivery")).toList();
    }

    /** The processors that hold a RemoteDelivery: mail that reaches them leaves the server. */
    Set<String> relayProcessors() {
        return remoteDeliveries().stream().map(Mailet::processor).collect(Collectors.toSet());
    }

    /**
     * Where any mail, whoever sent it, is handed to remote delivery: a RemoteDelivery matching all mail in the
     * processors every mail goes through ({@code root}, {@code transport}), or a ToProcessor matching all mail
     * that sends it to a processor holding a RemoteDelivery.
     */
    List<Mailet> unguardedRelayPaths() {
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
