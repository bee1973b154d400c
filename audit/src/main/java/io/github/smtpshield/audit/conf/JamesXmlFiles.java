package io.github.smtpshield.audit.conf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * James's own configuration loader (commons-configuration) expands external entities: a DOCTYPE in
 * {@code smtpserver.xml} made the server fetch a URL and send a local file out at start-up. Parsing every XML file of
 * the conf folder with the shield's hardened parser first, and refusing a DOCTYPE, keeps that loader from ever seeing
 * one. Call {@link #check} before anything reads the folder: the shield's Guice module does, as early as James lets
 * an extension run, which in the memory app is after James has read {@code usersrepository.xml} (and logback its
 * {@code logback.xml}) but before any other file; a main class of its own can call it before James starts.
 */
public final class JamesXmlFiles {
    private JamesXmlFiles() {}

    /** Parses each {@code *.xml} of {@code conf}; the first that has a DOCTYPE or is not well-formed is the error. */
    public static void check(Path conf) throws UnreadableConfException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(conf)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".xml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UnreadableConfException(conf + ": cannot read folder: " + e.getMessage(), e);
        }
        for (Path file : files) {
            ConfXml.root(file);
        }
    }
}
