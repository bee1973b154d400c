package io.github.smtpshield.cli;

import io.github.smtpshield.policy.config.Durations;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code smtp-shield token}: prints a WebAdmin admin token, a JWT (RS256) signed with {@code conf/jwt_privatekey}
 * whose {@code sub} is the subject and {@code admin} is true (what James's WebAdmin asks of a token), valid for a
 * while. Exit status 0 with the token on the output, 1 when there is no key to sign with.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description =
                "Prints a WebAdmin admin token (JWT) for: curl -H \"Authorization: Bearer $(bin/smtp-shield token)\" ...")
final class TokenCommand implements Callable<Integer> {
    @Option(
            names = "--subject",
            defaultValue = "admin",
            description = "who the token names (its 'sub', in James's log lines; default: ${DEFAULT-VALUE})")
    private String subject;

    @Option(
            names = "--valid-for",
            defaultValue = "1d",
            description = "how long the token is valid: 30m, 12h, 7d ... (default: ${DEFAULT-VALUE})")
    private String validFor;

    @Option(
            names = "--key",
            defaultValue = "conf/" + JwtKeys.PRIVATE_KEY,
            description = "the private key to sign with (default: ${DEFAULT-VALUE})")
    private Path key;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Duration validity;
        try {
            validity = Durations.requirePositive(Durations.parse(validFor), "the validity");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--valid-for: " + e.getMessage());
        }
        if (subject.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--subject: must not be blank");
        }
        String token;
        try {
            token = JwtKeys.adminToken(key, subject, validity);
        } catch (NoSuchFileException e) {
            return fail("no " + key + ": start the server once with WEBADMIN_JWT=true to make the key pair");
        } catch (IOException | GeneralSecurityException e) {
            return fail("cannot read " + key + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println(token);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + message);
        spec.commandLine().getErr().flush();
        return 1;
    }
}
